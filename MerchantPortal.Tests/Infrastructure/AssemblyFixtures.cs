using MerchantPortal.Tests.Infrastructure;

// One app process and one browser for the whole run: starting either per test would dominate the run time.
[assembly: AssemblyFixture(typeof(PortalApp))]
[assembly: AssemblyFixture(typeof(BrowserFixture))]

// Browser tests run with the app's Content-Security-Policy in force and fail on any violation.
[assembly: FailOnCspViolations]
