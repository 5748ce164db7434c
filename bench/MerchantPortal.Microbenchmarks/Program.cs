using BenchmarkDotNet.Running;

// Run in Release: dotnet run -c Release --project bench/MerchantPortal.Microbenchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(MerchantPortal.Microbenchmarks.OrderNotifierBenchmarks).Assembly).Run(args);
