using CacheNode.Database;
using CacheNode.Diagnostics;
using CacheNode.Strategies;
using CacheNode.WriteBehind;

namespace CacheNode.Configuration;

/// <summary>Every setting of the node, with the contract's defaults (design contract §6).</summary>
internal sealed record NodeOptions
{
    public StrategyKind Strategy { get; init; } = StrategyKind.WriteThrough;
    public DatabaseKind Database { get; init; } = DatabaseKind.Auto;
    public int TtlMs { get; init; } = 30_000;
    public double TtlJitter { get; init; } = 0.1;
    public int NegativeTtlMs { get; init; } = 5_000;
    public int LeaseMs { get; init; } = 500;
    public int PeerTimeoutMs { get; init; } = 100;
    public int ForwardTimeoutMs { get; init; } = 500;
    public bool UnsafeNoInvalidation { get; init; }

    /// <summary>TESTING ONLY: write the database first and revoke the peers after (the order that is not linearizable).</summary>
    public bool UnsafeWriteFirst { get; init; }

    /// <summary>TESTING ONLY: write the database, ack, and revoke the peers after (invalidation after the ack).</summary>
    public bool UnsafeAckFirst { get; init; }

    public bool UnsafeNoBackup { get; init; }
    public int MaxEntries { get; init; } = 100_000;
    public double EarlyRefreshBeta { get; init; } = 1.0;
    public LogLevel LogLevel { get; init; } = LogLevel.Info;
    public int WriteDelayMs { get; init; } = 50;
    public int BatchSize { get; init; } = 64;
    public int QueueCapacity { get; init; } = 10_000;
    public OverflowPolicy Overflow { get; init; } = OverflowPolicy.Reject;
    public int DbTimeoutMs { get; init; } = 1_000;
    public int DbReadAttempts { get; init; } = 3;
    public int MaxValueBytes { get; init; } = 1024 * 1024;
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;
    public int DrainTimeoutMs { get; init; } = 10_000;
    public int RequestTimeoutMs { get; init; } = 900;
}
