namespace CacheNode.Cluster;

/// <summary>
/// The clocks of key leases (and of write-behind's custody). Nodes never compare timestamps with each other; each side
/// measures on its own clock from an event the other cannot have preceded, and the drift margin covers
/// clocks that run at slightly different rates.
/// </summary>
/// <param name="Lease">How long a key lease lasts (<c>lease_ms</c>): an unreachable holder stops serving within it.</param>
/// <param name="PeerTimeout">How long a home waits for revocation acks before waiting out key leases instead (<c>peer_timeout_ms</c>).</param>
/// <param name="DatabaseTimeout">The longest a database write can stay unanswered (<c>db_timeout_ms</c>).</param>
/// <param name="DriftFraction">Assumed bound on relative clock-rate drift between two nodes.</param>
internal sealed record LeaseTiming(TimeSpan Lease, TimeSpan PeerTimeout, TimeSpan DatabaseTimeout, double DriftFraction = 0.01)
{
    /// <summary>A fixed allowance on top of the drift (timer and scheduling slack).</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(5);

    /// <summary>Write-behind's custody is renewed this often, so one or two lost heartbeats do not interrupt it.</summary>
    public TimeSpan RenewInterval => Lease / 4;

    /// <summary>The holder's view: a lease requested at some moment is good for this long after it, on the holder's clock.</summary>
    public TimeSpan HeldFor => HeldForLease(Lease);

    /// <summary>The grantor's view: a lease it granted at some moment may be in use until this long after, on its own clock.</summary>
    public TimeSpan GrantedFor => GrantedForLease(Lease);

    /// <summary><see cref="HeldFor"/> for a lease of another length (a key lease, which lasts the time to live).</summary>
    public TimeSpan HeldForLease(TimeSpan length) => length * (1 - DriftFraction) - Slack;

    /// <summary><see cref="GrantedFor"/> for a lease of another length.</summary>
    public TimeSpan GrantedForLease(TimeSpan length) => length * (1 + DriftFraction) + Slack;

    /// <summary>
    /// How long after a moment a database write sent before it may still land: a node waits this out
    /// before anything that a late write from before (its own earlier run's, a dead peer's) could undo.
    /// </summary>
    public TimeSpan DatabaseFence => (DatabaseTimeout * (1 + DriftFraction)) + Slack;

    /// <summary>
    /// How long after its start a node of a write-through or cache-aside cluster neither serves nor grants
    /// anything: until a write its earlier run sent has landed (<see cref="DatabaseFence"/>), and until the
    /// volume leases that run granted are over (a peer could otherwise hold a grant of this run and a copy
    /// of the earlier run's at once, and a write would wait out only the first).
    /// </summary>
    public TimeSpan StartupFence => DatabaseFence > GrantedFor ? DatabaseFence : GrantedFor;
}
