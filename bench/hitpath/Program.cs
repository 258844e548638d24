using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(HitPath.HitSteps).Assembly).Run(args);
