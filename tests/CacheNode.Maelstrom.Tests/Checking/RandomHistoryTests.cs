using CacheNode.Maelstrom.Checking;
using CacheNode.Maelstrom.History;

namespace CacheNode.Maelstrom.Tests.Checking;

public sealed class RandomHistoryTests
{
    private const int Seeds = 150;

    [Fact]
    public void Random_linearizable_histories_are_valid()
    {
        for (var seed = 0; seed < Seeds; seed++)
        {
            var ops = Generate(seed);

            LinearizabilityChecker.Check(ops).Verdict.Should().Be(Verdict.Valid, "seed {0} is linearizable by construction", seed);
        }
    }

    [Fact]
    public void Random_histories_with_one_read_of_a_value_never_written_are_invalid_at_that_read()
    {
        var corrupted = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var random = new Random(seed);
            var ops = Generate(seed);
            var reads = ops.Where(op => op.Kind == OpKind.Read && op.Status == OpStatus.Ok).ToList();
            if (reads.Count == 0)
            {
                continue;
            }

            var victim = reads[random.Next(reads.Count)];
            var result = LinearizabilityChecker.Check(Replace(ops, victim, victim with { Value = 99 }));

            result.Verdict.Should().Be(Verdict.Invalid, "seed {0}: nothing ever writes 99", seed);
            result.Culprit!.Id.Should().Be(victim.Id, "seed {0}: everything before the corrupted read is linearizable", seed);
            corrupted++;
        }

        corrupted.Should().BeGreaterThan(Seeds / 2);
    }

    [Fact]
    public void Random_histories_with_a_read_of_nil_after_a_completed_write_are_invalid()
    {
        var corrupted = 0;
        for (var seed = 0; seed < Seeds; seed++)
        {
            var ops = Generate(seed);
            var firstWriteDone = ops.Where(op => op.Kind == OpKind.Write && op.Status == OpStatus.Ok).Select(op => op.Complete).DefaultIfEmpty(long.MaxValue).Min();
            var victim = ops.FirstOrDefault(op => op.Kind == OpKind.Read && op.Status == OpStatus.Ok && op.Invoke > firstWriteDone);
            if (victim is null)
            {
                continue;
            }

            // No operation writes nil, so once a write has taken effect the key exists for good.
            var result = LinearizabilityChecker.Check(Replace(ops, victim, victim with { Value = null }));

            result.Verdict.Should().Be(Verdict.Invalid, "seed {0}", seed);
            corrupted++;
        }

        corrupted.Should().BeGreaterThan(Seeds / 2);
    }

    [Fact]
    public void Checker_agrees_with_brute_force_on_small_random_histories()
    {
        var (valid, invalid) = (0, 0);
        for (var seed = 0; seed < 4000; seed++)
        {
            var random = new Random(seed);
            var ops = seed % 2 == 0
                ? RandomHistories.Noise(random, random.Next(1, 10))
                : Perturb(random, RandomHistories.Linearizable(random, random.Next(1, 12), random.Next(1, 4), 0.2, maxGap: 2, maxDuration: 4, unitNanos: 1, values: 3));

            var expected = ReferenceChecker.IsLinearizable(ops);
            var actual = LinearizabilityChecker.Check(ops).Verdict;

            actual.Should().Be(expected ? Verdict.Valid : Verdict.Invalid, "seed {0}: {1}", seed, string.Join("; ", ops.Select(CheckResult.Describe)));
            if (expected)
            {
                valid++;
            }
            else
            {
                invalid++;
            }
        }

        valid.Should().BeGreaterThan(500);
        invalid.Should().BeGreaterThan(500);
    }

    private static List<Operation> Generate(int seed)
    {
        var random = new Random(seed);
        return RandomHistories.Linearizable(random, count: random.Next(20, 300), processes: random.Next(2, 9), infoRate: random.NextDouble() * 0.1);
    }

    /// <summary>Sometimes changes one operation's value, status or timing, so some histories stop being linearizable.</summary>
    private static List<Operation> Perturb(Random random, List<Operation> ops)
    {
        if (ops.Count == 0 || random.Next(3) == 0)
        {
            return ops;
        }

        var victim = ops[random.Next(ops.Count)];
        var changed = random.Next(3) switch
        {
            0 => victim with { Value = random.Next(4) == 0 ? null : random.Next(3) },
            1 => victim with { Status = victim.Status == OpStatus.Ok ? OpStatus.Info : OpStatus.Ok, Complete = victim.Status == OpStatus.Ok ? long.MaxValue : victim.Invoke + random.Next(3) },
            _ => victim with { Invoke = victim.Invoke + 2, Complete = victim.Status == OpStatus.Ok ? victim.Complete + 2 : long.MaxValue },
        };
        return Replace(ops, victim, changed);
    }

    private static List<Operation> Replace(List<Operation> ops, Operation victim, Operation replacement) =>
        [.. ops.Select(op => ReferenceEquals(op, victim) ? replacement : op)];
}
