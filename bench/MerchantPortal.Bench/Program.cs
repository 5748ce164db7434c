// The load harness is being built bottom-up; the blazorpack codec and the circuit client (Circuits/) exist so far.
Console.WriteLine("usage: MerchantPortal.Bench (the Blazor Server load harness is under construction; only the blazorpack codec and the circuit client exist so far)");
return 1;
