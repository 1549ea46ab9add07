using CacheNode.Maelstrom.Report;

namespace CacheNode.Maelstrom.Tests.Report;

/// <summary>`compare --faults`, `--scale` and `--sides`: every figure comes from the run's results.json.</summary>
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
              "between_nodes": { "per_write": 3.5, "holders_per_write": 0.75, "fill_per_op": 1.25, "renew_per_node_per_s": 2.5, "background_per_node_per_s": 0 }
            }
            """);

        var table = ComparisonTable.BuildScale([_run]).Split('\n');

        table[0].Should().Contain("| msgs/write | holders/write | 2·holders+4 |");
        table[2].Should().Be("| cache-aside, 9 nodes | VALID | 300 | 0.125 | 50.0 % | 3.50 | 0.75 | 5.50 | 1.25 | 2.5 | 0.0 | 2.3 ms | 12.5 ms | 1.0 % |");
    }

    [Fact]
    public void Sides_rows_add_up_each_kind_of_side_and_compare_it_with_the_unpartitioned_windows()
    {
        File.WriteAllText(Path.Combine(_run, "results.json"), """
            {
              "options": { "node_count": 5, "nemesis": "partition", "node_env": { "CACHENODE_STRATEGY": "write-through" } },
              "partition_sides": [
                { "side": "no partition", "ops": 100, "hits": 60, "reads": 80, "reads_reachable_homes": 80, "db_requests": 10 },
                { "side": "n0 n1 n2", "ops": 40, "hits": 20, "reads": 35, "reads_reachable_homes": 30, "db_requests": 4 },
                { "side": "n1 n2 n3 n4", "ops": 60, "hits": 25, "reads": 45, "reads_reachable_homes": 40, "db_requests": 2 },
                { "side": "n3 n4", "ops": 20, "hits": 2, "reads": 18, "reads_reachable_homes": 4, "db_requests": 9 }
              ]
            }
            """);

        var table = ComparisonTable.BuildSides([_run]).Split('\n').Select(line => line.TrimEnd('\r')).ToList();

        table[2].Should().Be("| write-through, 5 nodes, partition | no partition | 100 | 75.0 % | 75.0 % | – | 0.100 |");
        table[3].Should().Be("| write-through, 5 nodes, partition | larger side | 100 | 56.2 % | 64.3 % | 86 % | 0.060 |");
        table[4].Should().Be("| write-through, 5 nodes, partition | smaller side | 20 | 11.1 % | 50.0 % | 67 % | 0.450 |");
    }

    public void Dispose() => Directory.Delete(_run, recursive: true);
}
