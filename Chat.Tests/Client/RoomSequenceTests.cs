using System.Text.Json;
using Chat.Client.Internal;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Client;

/// <summary>
/// The cases of TestData/room-sequence-cases.json, which the page's room-sequence.js passes too, so the
/// two sequencers cannot disagree.
/// </summary>
public sealed class RoomSequenceTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "TestData", "room-sequence-cases.json"))).RootElement.GetProperty("cases");

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var testCase in Cases.EnumerateArray())
        {
            names.Add(testCase.GetProperty("name").GetString()!);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Delivers_each_message_once_and_in_seq_order(string name)
    {
        var testCase = Cases.EnumerateArray().Single(entry => entry.GetProperty("name").GetString() == name);
        var delivered = new List<long>();
        var sequence = new RoomSequence("general", message => delivered.Add(message.Seq));
        foreach (var step in testCase.GetProperty("steps").EnumerateArray())
        {
            var (kind, value) = step.EnumerateObject().Select(property => (property.Name, property.Value)).Single();
            switch (kind)
            {
                case "start" or "rejoin":
                    sequence.Start(value.GetInt64());
                    break;
                case "offer":
                    sequence.Offer(Messages(value));
                    break;
                case "store":
                    sequence.OfferFromStore(Messages(value));
                    break;
                default:
                    throw new InvalidOperationException($"Unknown step {kind} in case {name}.");
            }
        }

        delivered.Should().Equal(testCase.GetProperty("delivered").EnumerateArray().Select(seq => seq.GetInt64()));
        sequence.LastDelivered.Should().Be(testCase.GetProperty("last").GetInt64());
        sequence.HasGap.Should().Be(testCase.GetProperty("hasGap").GetBoolean());
    }

    private static List<ChatMessage> Messages(JsonElement seqs) =>
        [.. seqs.EnumerateArray().Select(seq => new ChatMessage($"m{seq}", "general", seq.GetInt64(), "alice", $"text {seq}", DateTimeOffset.UnixEpoch))];
}
