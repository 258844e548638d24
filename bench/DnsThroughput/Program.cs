// Serves the zone `cdnctl up` serves (shop.test: origin. → the primary gateways, www. → the edges) on
// 127.0.0.1:<port>, UDP and TCP, through the same AuthoritativeDnsServer the control plane runs, until stdin
// closes or the process is killed. bench/dns-throughput.sh points dnsperf at it and at BIND in the same run.
// Usage: dotnet run -c Release --project bench/DnsThroughput -- --port 8153
using System.Net;
using CdnPlatform.Dns.Answering;
using CdnPlatform.Dns.Hosting;
using CdnPlatform.Dns.Zones;
using Microsoft.Extensions.Logging.Abstractions;

var port = args.Length == 2 && args[0] == "--port" ? int.Parse(args[1]) : 8153;
var zone = SiteZone.Build("shop.test",
    [IPAddress.Parse("127.0.21.1"), IPAddress.Parse("127.0.21.2")],
    [IPAddress.Parse("127.0.10.1"), IPAddress.Parse("127.0.10.2"), IPAddress.Parse("127.0.10.3")],
    IPAddress.Loopback, serial: 1);
using var server = new AuthoritativeDnsServer(new IPEndPoint(IPAddress.Loopback, port), new AuthoritativeAnswerer(new ZoneCatalog([zone])), NullLogger.Instance);
server.Start();
Console.WriteLine($"serving shop.test on 127.0.0.1:{port}");
await Console.In.ReadToEndAsync();
