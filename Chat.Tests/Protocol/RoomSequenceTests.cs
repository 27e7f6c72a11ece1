using System.Text.Json;
using Chat.Protocol;
using Chat.Protocol.Receiving;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Protocol;

/// <summary>
/// The cases of TestData/room-sequence-cases.json, which the page's room-sequence.js passes too, so the
/// two sequencers cannot disagree.
/// </summary>
public sealed class RoomSequenceTests
{
    private static readonly SharedCases Cases = new("room-sequence-cases.json");

    public static TheoryData<string> CaseNames() => Cases.Names();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Delivers_each_message_once_and_in_seq_order(string name)
    {
        var testCase = Cases[name];
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
