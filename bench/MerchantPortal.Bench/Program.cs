using MerchantPortal.Bench.Deploy;
using MerchantPortal.Bench.Nodes;
using MerchantPortal.Bench.Probe;
using MerchantPortal.Bench.Soak;
using MerchantPortal.Bench.Sweep;

// The load harness: probe (N circuits against a running app), sweep (fresh apps, every size and mode,
// results and charts), prepare-db (bench merchants), heap-types (managed heap by type) and soak (circuit churn,
// then what it left behind).
if (args is ["probe", .. var rest])
{
    return await ProbeCommand.RunAsync(rest, Console.Out, Console.Error);
}

if (args is ["prepare-db", .. var prepareArgs])
{
    return await PrepareDbCommand.RunAsync(prepareArgs, Console.Out, Console.Error);
}

if (args is ["sweep", .. var sweepArgs])
{
    return await SweepCommand.RunAsync(sweepArgs, Console.Out, Console.Error);
}

if (args is ["heap-types", .. var heapArgs])
{
    return await HeapTypesCommand.RunAsync(heapArgs, Console.Out, Console.Error);
}

if (args is ["floor", .. var floorArgs])
{
    return await MerchantPortal.Bench.Floor.FloorCommand.RunAsync(floorArgs, Console.Out, Console.Error);
}

if (args is ["push-floor", .. var pushArgs])
{
    return await MerchantPortal.Bench.Floor.PushFloorCommand.RunAsync(pushArgs, Console.Out, Console.Error);
}

if (args is ["soak", .. var soakArgs])
{
    return await SoakCommand.RunAsync(soakArgs, Console.Out, Console.Error);
}

if (args is ["deploy", .. var deployArgs])
{
    return await DeployCommand.RunAsync(deployArgs, Console.Out, Console.Error);
}

if (args is ["nodes", .. var nodesArgs])
{
    return await NodesCommand.RunAsync(nodesArgs, Console.Out, Console.Error);
}

await Console.Error.WriteLineAsync(ProbeOptions.Usage);
await Console.Error.WriteLineAsync(SoakOptions.Usage);
return 2;
