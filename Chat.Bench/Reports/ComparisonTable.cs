using System.Globalization;
using System.Text;

namespace Chat.Bench.Reports;

/// <summary>
/// A Markdown table with one column per server; when the columns are the bare hub and ours, a last
/// column gives ours as a ratio to the bare hub's figure.
/// </summary>
public sealed class ComparisonTable(IReadOnlyList<string> servers)
{
    private readonly List<string[]> _rows = [];

    private bool HasRatio => servers.Count == 2 && servers[0] == "bare" && servers[1] == "ours";

    public void Add(string label, IEnumerable<double> values, string format = "N1")
    {
        var numbers = values.ToArray();
        var cells = numbers.Select(value => value.ToString(format, CultureInfo.InvariantCulture)).ToList();
        if (HasRatio)
        {
            cells.Add(numbers[0] == 0 ? "–" : (numbers[1] / numbers[0]).ToString("0.00", CultureInfo.InvariantCulture) + "×");
        }

        _rows.Add([label, .. cells]);
    }

    public void AddText(string label, IEnumerable<string> values)
    {
        var cells = values.ToList();
        if (HasRatio)
        {
            cells.Add(string.Empty);
        }

        _rows.Add([label, .. cells]);
    }

    public override string ToString()
    {
        var header = new List<string> { "metric" };
        header.AddRange(servers);
        if (HasRatio)
        {
            header.Add("ours ÷ bare");
        }

        var all = new List<string[]> { header.ToArray() };
        all.AddRange(_rows);
        var widths = Enumerable.Range(0, header.Count).Select(column => all.Max(row => column < row.Length ? row[column].Length : 0)).ToArray();
        var text = new StringBuilder();
        for (var index = 0; index < all.Count; index++)
        {
            var row = all[index];
            text.Append('|');
            for (var column = 0; column < widths.Length; column++)
            {
                var cell = column < row.Length ? row[column] : string.Empty;
                text.Append(' ').Append(column == 0 ? cell.PadRight(widths[column]) : cell.PadLeft(widths[column])).Append(" |");
            }

            text.AppendLine();
            if (index == 0)
            {
                text.Append('|');
                for (var column = 0; column < widths.Length; column++)
                {
                    text.Append(column == 0 ? "---" : "---:").Append('|');
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }
}
