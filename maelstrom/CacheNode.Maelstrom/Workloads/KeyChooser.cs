namespace CacheNode.Maelstrom.Workloads;

/// <summary>Picks keys uniformly, or with Zipf skew (key 0 hottest) when the exponent is above 0.</summary>
internal sealed class KeyChooser
{
    private readonly double[] _cumulative;

    public KeyChooser(int keyCount, double skew)
    {
        _cumulative = new double[keyCount];
        var total = 0.0;
        for (var i = 0; i < keyCount; i++)
        {
            total += skew <= 0 ? 1 : 1 / Math.Pow(i + 1, skew);
            _cumulative[i] = total;
        }

        for (var i = 0; i < keyCount; i++)
        {
            _cumulative[i] /= total;
        }
    }

    public int Count => _cumulative.Length;

    public int Next(Random random)
    {
        var index = Array.BinarySearch(_cumulative, random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
    }
}
