using CacheNode.Maelstrom.Report;

namespace CacheNode.Maelstrom.Tests.Report;

/// <summary>`compare --faults` and `--scale`: every figure comes from the run's results.json.</summary>
public sealed class ComparisonTableTests : IDisposable
{
    private readonly string _run = Directory.CreateTempSubdirectory("compare-").FullName;

    [Fact]
    public void Faults_row_counts_kills_pauses_and_partitions_that_cut_something_and_the_keys_that_failed()
    {
        File.WriteAllText(Path.Combine(_run, "results.json"), """
            {
              "valid": false, "ops": 120, "availability": 0.75, "lost_writes": 2,
              "options": { "seed": 9, "node_count": 3, "nemesis": "kill,partition", "node_env": { "CACHENODE_STRATEGY": "write-behind" } },
              "details": [ "key 4 is not linearizable. ...", "key 5 is not linearizable. ..." ],
              "nemesis_events": [
                { "time_ms": 1, "event": "partition majority: [n2] | [n0 n1]" },
                { "time_ms": 2, "event": "killed n1" },
                { "time_ms": 3, "event": "partition healed" },
                { "time_ms": 4, "event": "partition minority-third: under a third of 3 nodes is none, so nothing is cut" },
                { "time_ms": 5, "event": "partition healed" },
                { "time_ms": 6, "event": "restarted n1" },
                { "time_ms": 7, "event": "killed n0" },
                { "time_ms": 8, "event": "paused n2" }
              ]
            }
            """);

        var table = ComparisonTable.BuildFaults([_run]).Split('\n');

        table[2].Should().Be("| write-behind, 3 nodes, kill,partition | 9 | INVALID | 120 | 75.0 % | 2 | 1 | 1 | 2 | 2 |");
    }

    [Fact]
    public void Scale_row_sets_messages_per_write_against_the_holders_each_write_revoked()
    {
        File.WriteAllText(Path.Combine(_run, "results.json"), """
            {
              "valid": true, "ops": 3000, "unavailable": 0.01, "cache_hit_ratio": 0.5,
              "options": { "seed": 42, "node_count": 9, "time_limit_s": 10, "nemesis": "", "node_env": { "CACHENODE_STRATEGY": "cache-aside" } },
              "messages": { "db_requests_per_op": 0.125 },
              "latency_ms": { "read": { "p50": 2.25 }, "write": { "p50": 12.5 } },
              "between_nodes": { "per_write": 3.5, "holders_per_write": 0.75, "fill_per_op": 1.25, "background_per_node_per_s": 0 }
            }
            """);

        var table = ComparisonTable.BuildScale([_run]).Split('\n');

        table[0].Should().Contain("| msgs/write | holders/write | 2·holders+4 |");
        table[2].Should().Be("| cache-aside, 9 nodes | VALID | 300 | 0.125 | 50.0 % | 3.50 | 0.75 | 5.50 | 1.25 | 0.0 | 2.3 ms | 12.5 ms | 1.0 % |");
    }

    public void Dispose() => Directory.Delete(_run, recursive: true);
}
