namespace CacheNode.Maelstrom.Checking;

/// <summary>
/// Orders keys for reports: numeric keys (the lin-kv workload's) by value, so "10" follows "9", and
/// anything else after them, ordinally.
/// </summary>
internal sealed class KeyOrder : IComparer<string>
{
    public static readonly KeyOrder Instance = new();

    private KeyOrder()
    {
    }

    public int Compare(string? x, string? y)
    {
        var xNumber = long.TryParse(x, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var xValue);
        var yNumber = long.TryParse(y, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var yValue);
        return (xNumber, yNumber) switch
        {
            (true, true) when xValue != yValue => xValue.CompareTo(yValue),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(x, y),
        };
    }
}
