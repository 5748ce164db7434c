using MerchantPortal.Tests.Infrastructure;

namespace MerchantPortal.Tests.MultiNode;

/// <summary>
/// The multi-node classes share one <see cref="TwoNodes"/> (two app processes, nginx, a
/// PostgreSQL database): started once for the run. They run one class at a time, so one class's
/// tabs and orders never change what another measures (the database-cost test above all).
/// </summary>
[CollectionDefinition(Name)]
public sealed class MultiNodeTests : ICollectionFixture<TwoNodes>
{
    public const string Name = "Two nodes behind nginx";
}
