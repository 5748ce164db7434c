using MerchantPortal.Data;
using MerchantPortal.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace MerchantPortal.Tests.Data;

/// <summary>
/// No SQL Server engine runs here, so what SQL Server would be sent is parsed by Microsoft's own
/// T-SQL parser (ScriptDom): the migration scripts, idempotent and plain, and the change poller's
/// two queries. Parsing proves the syntax and shows the pieces are there; it does not run them.
/// </summary>
public sealed class SqlServerScriptTests
{
    [Fact]
    public void TheIdempotentMigrationScriptParsesWithoutErrors()
    {
        using var db = SqlServerContext();

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var fragment = Parse(script);
        Assert.NotEmpty(fragment.Batches);
    }

    [Fact]
    public void ThePlainMigrationScriptCreatesTheChangeTriggersAndTheRowversionColumn()
    {
        using var db = SqlServerContext();

        var fragment = Parse(db.GetService<IMigrator>().GenerateScript());

        // CREATE TRIGGER runs through EXEC(N'...') (it must open its batch): parse those strings too.
        var dynamicSql = new ExecutedStrings();
        fragment.Accept(dynamicSql);
        var statements = fragment.Batches.SelectMany(b => b.Statements)
            .Concat(dynamicSql.Values.SelectMany(sql => Parse(sql).Batches.SelectMany(b => b.Statements)))
            .ToList();
        var triggers = statements.OfType<CreateTriggerStatement>().Select(t => t.Name.BaseIdentifier.Value).ToList();
        Assert.Contains("TR_Orders_Inserted_Change", triggers);
        Assert.Contains("TR_Orders_StatusChanged_Change", triggers);
        Assert.All(statements.OfType<CreateTriggerStatement>(), trigger =>
        {
            var inserts = new InsertTargets();
            trigger.Accept(inserts);
            Assert.Equal(["OrderChanges"], inserts.Tables);
        });
        var version = statements.OfType<AlterTableAddTableElementStatement>()
            .SelectMany(a => a.Definition.ColumnDefinitions)
            .Single(c => c.ColumnIdentifier.Value == "Version");
        Assert.Equal("rowversion", ((SqlDataTypeReference)version.DataType).SqlDataTypeOption.ToString(), ignoreCase: true);
        Assert.Null(version.DefaultConstraint);
    }

    [Fact]
    public void ThePollersQueriesParseAndReadTheHorizonBeforeTheRows()
    {
        using var db = SqlServerContext();

        foreach (var query in new[]
        {
            SqlServerOrderChangeFeed.StartQuery(db).ToQueryString(),
            SqlServerOrderChangeFeed.ReadQuery(db, 42, [43, 44], 1000).ToQueryString(),
        })
        {
            // ToQueryString declares raw SQL's parameters without their '@' ("DECLARE p0 int = 1000;"),
            // while the SQL sent uses @p0; restore it so the text is the batch SQL Server would run.
            var sql = System.Text.RegularExpressions.Regex.Replace(query, @"^DECLARE (p\d+) ", "DECLARE @$1 ", System.Text.RegularExpressions.RegexOptions.Multiline);
            var statements = Parse(sql).Batches.SelectMany(b => b.Statements).ToList();
            var declare = statements.OfType<DeclareVariableStatement>()
                .Single(d => d.Declarations.Any(v => v.VariableName.Value == "@horizon"));
            var horizon = Assert.IsType<CastCall>(declare.Declarations.Single(v => v.VariableName.Value == "@horizon").Value);
            Assert.Equal("MIN_ACTIVE_ROWVERSION", Assert.IsType<FunctionCall>(horizon.Parameter).FunctionName.Value, ignoreCase: true);
            // The horizon is declared before the SELECT that reads the rows.
            Assert.True(statements.IndexOf(declare) < statements.FindIndex(s => s is SelectStatement), sql);
        }
    }

    /// <summary>The tables a fragment inserts into.</summary>
    private sealed class InsertTargets : TSqlFragmentVisitor
    {
        public List<string> Tables { get; } = [];

        public override void Visit(InsertSpecification node)
        {
            if (node.Target is NamedTableReference table)
            {
                Tables.Add(table.SchemaObject.BaseIdentifier.Value);
            }
        }
    }

    /// <summary>The string literals of every EXEC('...') in a script.</summary>
    private sealed class ExecutedStrings : TSqlFragmentVisitor
    {
        public List<string> Values { get; } = [];

        public override void Visit(ExecutableStringList node) =>
            Values.Add(string.Concat(node.Strings.OfType<StringLiteral>().Select(s => s.Value)));
    }

    private static TSqlScript Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var fragment = parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"line {e.Line}: {e.Message}")) + "\n" + sql);
        return Assert.IsType<TSqlScript>(fragment);
    }

    /// <summary>Built as the app builds it; never connects.</summary>
    private static PortalDbContext SqlServerContext()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [PortalDataRegistration.ProviderKey] = nameof(DatabaseProvider.SqlServer),
                [PortalDataRegistration.ConnectionStringKey] = "Server=localhost;Database=NeverOpened",
            })
            .Build();
        var options = new DbContextOptionsBuilder<PortalDbContext>();
        PortalDataRegistration.Configure(options, PortalDataRegistration.DescribeDatabase(configuration, Path.GetTempPath()));
        return new PortalDbContext(options.Options);
    }
}
