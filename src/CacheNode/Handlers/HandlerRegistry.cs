using System.Diagnostics.CodeAnalysis;

namespace CacheNode.Handlers;

/// <summary>Handlers by message type, registered explicitly; registering a type twice is a bug.</summary>
internal sealed class HandlerRegistry
{
    private readonly Dictionary<string, IMessageHandler> _handlers = new(StringComparer.Ordinal);

    public HandlerRegistry Add(IMessageHandler handler)
    {
        if (!_handlers.TryAdd(handler.Type, handler))
        {
            throw new InvalidOperationException($"a handler for '{handler.Type}' is already registered");
        }

        return this;
    }

    public bool TryGet(string type, [NotNullWhen(true)] out IMessageHandler? handler) => _handlers.TryGetValue(type, out handler);
}
