using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Circuits;

/// <summary>
/// Sees every call a browser makes on Blazor's hub, before any circuit work, with the connection at
/// hand, so what it refuses costs nothing further and the connection can be closed at once (a
/// flooding client's backlog is dropped with it instead of being worked through):
/// <list type="bullet">
/// <item>StartCircuit of a user who already has <see cref="CircuitLimitsOptions.MaxPerUser"/>
/// connected circuits on this node: answered with the hub's own "no circuit" (null), connection closed.
/// <see cref="CircuitGuard"/> still ends the circuits of a burst that started together before any
/// of them counted.</item>
/// <item>any call the browser starts (events, navigation, .NET calls; not its answers to the
/// server's sends) beyond the user's <see cref="InboundBudget"/> (shared by all their connections on
/// this node, so a new connection brings no fresh allowance; a connection of its own for a visitor
/// without a user): connection closed. The circuit stays retained as after any network loss.</item>
/// </list>
/// Each refusal is logged through <see cref="RefusedRequests"/>, at most once a minute per user and kind.
/// </summary>
internal sealed class CircuitHubFilter(UserCircuits circuits, IOptions<CircuitLimitsOptions> options, RefusedRequests refused) : IHubFilter
{
    private static readonly object BudgetKey = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        var userId = context.User?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var limits = options.Value;
        if (userId is not null && invocationContext.HubMethodName == "StartCircuit" && circuits.CountOf(userId) >= limits.MaxPerUser)
        {
            refused.Refused("circuit over the per-user cap", context.User!.Identity?.Name ?? userId,
                $"the user already has {limits.MaxPerUser} connected circuits on this node (Circuits:MaxPerUser); StartCircuit refused");
            context.Abort();
            return null;
        }

        if (IsAnswer(invocationContext.HubMethodName))
        {
            return await next(invocationContext);
        }

        var budget = (userId is null ? null : circuits.BudgetOf(userId)) ?? ConnectionBudget(context);
        if (!budget.TryTake(limits.MaxInboundPerSecond))
        {
            refused.Refused("message flood", context.User?.Identity?.Name,
                $"more than {limits.MaxInboundPerSecond} messages a second from the user's connections on this node (Circuits:MaxInboundPerSecond); connection closed");
            context.Abort();
            return null;
        }

        return await next(invocationContext);
    }

    // Answers to what the server sent (a render batch's acknowledgement, a JS call's result) are
    // not charged: their number follows the server's own sends, which MaxUnacknowledgedRenderBatches
    // and the pending-call table bound, and a shop busy enough to render 100 batches a second across
    // its tabs must not be cut off for receiving orders. A forged answer matches nothing pending and
    // is dropped at the cost of a lookup.
    private static bool IsAnswer(string method) => method is "OnRenderCompleted" or "EndInvokeJSFromDotNet";

    // Until the user's first circuit opens (and for visitors), the connection's own budget.
    private static InboundBudget ConnectionBudget(HubCallerContext context)
    {
        if (context.Items.TryGetValue(BudgetKey, out var found) && found is InboundBudget budget)
        {
            return budget;
        }

        budget = new InboundBudget();
        context.Items[BudgetKey] = budget;
        return budget;
    }
}
