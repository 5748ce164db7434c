namespace MerchantPortal.Nodes;

/// <summary>
/// Names the answering node (X-Portal-Node) on every response, so support and the load
/// balancer's tests can tell which node served. A startup filter, not a middleware added in
/// Program.cs: WebApplication puts routing, authentication and authorization in front of every
/// middleware Program.cs adds, so a sign-in redirect (302) or a 401 would go out without it.
/// </summary>
internal sealed class NodeHeaderStartupFilter(NodeIdentity node) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            context.Response.Headers[NodeIdentity.Header] = node.Name;
            return following(context);
        });
        next(app);
    };
}
