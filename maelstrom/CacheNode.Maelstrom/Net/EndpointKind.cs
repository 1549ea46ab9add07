namespace CacheNode.Maelstrom.Net;

/// <summary>Who an endpoint is, by Maelstrom's naming: clients are c*, nodes n*, anything else a service.</summary>
internal enum EndpointKind
{
    Client,
    Node,
    Service,
}

/// <summary>Classifies endpoint ids.</summary>
internal static class Endpoints
{
    public static EndpointKind KindOf(string id) =>
        id.Length > 1 && char.IsAsciiDigit(id[1]) ? id[0] switch
        {
            'c' => EndpointKind.Client,
            'n' => EndpointKind.Node,
            _ => EndpointKind.Service,
        } : EndpointKind.Service;
}
