using System.Text.Json;
using Chat.Protocol;
using Chat.Protocol.Receiving;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Protocol;

/// <summary>
/// The client's member list: what the server's batched <c>MembersChanged</c> can and cannot change. The
/// cases of TestData/member-list-cases.json, which the page's members.js passes too, so the two member
/// lists cannot disagree.
/// </summary>
public sealed class RoomMembersTests
{
    private static readonly SharedCases Cases = new("member-list-cases.json");

    public static TheoryData<string> CaseNames() => Cases.Names();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Reports_only_the_changes_that_change_the_list(string name)
    {
        var testCase = Cases[name];
        var members = new RoomMembers();
        var index = 0;
        foreach (var step in testCase.GetProperty("steps").EnumerateArray())
        {
            var because = $"step {index++} of \"{name}\"";
            IReadOnlyList<MemberChange> effective = [];
            if (step.TryGetProperty("apply", out var changes))
            {
                effective = members.Apply(Changes(changes));
            }
            else if (step.TryGetProperty("rename", out var rename))
            {
                members.Rename(rename[0].GetString()!, rename[1].GetString()!);
            }
            else if (step.TryGetProperty("rejoin", out _))
            {
                members.BeginJoin();
            }
            else if (step.TryGetProperty("start", out var snapshot))
            {
                effective = members.Start(Names(snapshot));
            }
            else
            {
                throw new InvalidOperationException($"Unknown {because}.");
            }

            effective.Should().Equal(step.TryGetProperty("effective", out var expected) ? Changes(expected) : [], because);
            if (step.TryGetProperty("members", out var after))
            {
                members.List().Should().BeEquivalentTo(Names(after), because);
            }
        }

        members.List().Should().BeEquivalentTo(Names(testCase.GetProperty("members")));
    }

    // The page keeps arrival order and sorts when it shows the list; MembersOf hands it over sorted.
    [Fact]
    public void The_list_is_sorted_by_name_whatever_the_order_of_arrival()
    {
        var members = new RoomMembers();
        members.Start(["carol", "Alice"]);
        members.Apply([new MemberChange("Bob", true)]);

        members.List().Should().Equal("Alice", "Bob", "carol");
    }

    private static List<string> Names(JsonElement names) => [.. names.EnumerateArray().Select(entry => entry.GetString()!)];

    private static List<MemberChange> Changes(JsonElement changes) =>
    [
        .. changes.EnumerateArray().Select(change => change.TryGetProperty("join", out var joined)
            ? new MemberChange(joined.GetString()!, true)
            : new MemberChange(change.GetProperty("leave").GetString()!, false)),
    ];
}
