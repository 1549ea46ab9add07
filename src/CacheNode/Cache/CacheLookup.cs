using CacheNode.Database;

namespace CacheNode.Cache;

/// <summary>The answer of <see cref="CacheStore.Lookup"/>: a hit, or which fill to lead or join.</summary>
internal readonly record struct CacheLookup(CacheLookupKind Kind, ReadResult Value, FillFlight? Flight)
{
    public static CacheLookup Hit(ReadResult value, FillFlight? refresh) => new(CacheLookupKind.Hit, value, refresh);

    public static CacheLookup Lead(FillFlight flight) => new(CacheLookupKind.LeadFill, default, flight);

    public static CacheLookup Join(FillFlight flight) => new(CacheLookupKind.JoinFill, default, flight);

    public static CacheLookup Bypass() => new(CacheLookupKind.Bypass, default, null);

    public static CacheLookup WaitForWrite(Task writesDone) => new(CacheLookupKind.WaitForWrite, default, null) { WritesDone = writesDone };

    public static CacheLookup RenewVolume(string home) => new(CacheLookupKind.RenewVolume, default, null) { RenewHome = home };

    /// <summary>
    /// For <see cref="CacheLookupKind.RenewVolume"/>: whose volume to renew before looking again; for a
    /// hit: a volume to renew in the background, if any.
    /// </summary>
    public string? RenewHome { get; init; }

    /// <summary>For <see cref="CacheLookupKind.WaitForWrite"/>: completes when the key's writes have ended.</summary>
    public Task? WritesDone { get; init; }
}

/// <summary>Kinds of <see cref="CacheLookup"/>.</summary>
internal enum CacheLookupKind
{
    /// <summary>Served from the cache; <see cref="CacheLookup.Flight"/> is an early refresh to run, if any.</summary>
    Hit,

    /// <summary>A miss with no fill in flight: the caller reads the database and completes the flight.</summary>
    LeadFill,

    /// <summary>A miss while another reader's fill is in flight: wait for it.</summary>
    JoinFill,

    /// <summary>A miss while a write of the key is in progress: wait for it to end, then look again.</summary>
    WaitForWrite,

    /// <summary>The cache may not serve or fill now (the startup fence): read the database directly.</summary>
    Bypass,

    /// <summary>A copy whose home's volume lease ran out: renew it (<see cref="CacheLookup.RenewHome"/>), then look again.</summary>
    RenewVolume,
}
