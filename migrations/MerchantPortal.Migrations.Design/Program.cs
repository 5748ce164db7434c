// `dotnet ef` needs a runnable startup project; this one does nothing on its own.
Console.WriteLine("Design-time host for dotnet ef; see README.md (Migrations).");
