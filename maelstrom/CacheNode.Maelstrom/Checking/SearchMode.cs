namespace CacheNode.Maelstrom.Checking;

/// <summary>How <see cref="LinearizabilitySearch"/> treats Info operations.</summary>
internal enum SearchMode
{
    /// <summary>The real semantics: each Info operation takes effect at most once.</summary>
    Exact,

    /// <summary>
    /// A relaxation: each Info operation may take effect any number of times after its invocation. Every
    /// linearization under the real semantics is one here too, so Invalid here proves Invalid. A linearization
    /// found here counts (Valid) only if it can be carried out using each Info operation at most once;
    /// otherwise the answer is Unknown. It pays because the search no longer tracks which Info operations
    /// were used, which is what makes refuting an invalid history with many of them expensive.
    /// </summary>
    RepeatableInfo,
}
