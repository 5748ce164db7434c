using MerchantPortal.Bench.Probe;

// The load harness is being built bottom-up: the blazorpack codec, the circuit client (Circuits/) and a
// first measuring command, probe (Probe/).
if (args is ["probe", .. var rest])
{
    return await ProbeCommand.RunAsync(rest, Console.Out, Console.Error);
}

await Console.Error.WriteLineAsync(ProbeOptions.Usage);
return 2;
