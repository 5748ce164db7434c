using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OrderChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Version",
                table: "OrderChanges",
                type: "rowversion",
                rowVersion: true,
                nullable: false);
            // No default: SQL Server stamps a rowversion itself and refuses a default on one.

            migrationBuilder.CreateIndex(
                name: "IX_OrderChanges_Version",
                table: "OrderChanges",
                column: "Version");

            // The change feed, written by hand (EF has no model for trigger bodies): every writer's
            // insert or status change lands in OrderChanges in its own transaction (Kind 0 = Created,
            // 1 = StatusChanged), where the Version rowversion stamps it. CREATE TRIGGER must open its
            // batch, and an idempotent script puts each step inside IF ... BEGIN ... END, so each one
            // runs through EXEC.
            migrationBuilder.Sql("""
                EXEC(N'CREATE TRIGGER [TR_Orders_Inserted_Change] ON [Orders] AFTER INSERT AS
                BEGIN
                    SET NOCOUNT ON;
                    INSERT INTO [OrderChanges] ([OrderId], [MerchantId], [Kind], [Status], [ChangedAt])
                    SELECT [Id], [MerchantId], 0, [Status], [StatusChangedAt] FROM inserted;
                END;');
                """);
            migrationBuilder.Sql("""
                EXEC(N'CREATE TRIGGER [TR_Orders_StatusChanged_Change] ON [Orders] AFTER UPDATE AS
                BEGIN
                    SET NOCOUNT ON;
                    IF UPDATE([Status])
                        INSERT INTO [OrderChanges] ([OrderId], [MerchantId], [Kind], [Status], [ChangedAt])
                        SELECT i.[Id], i.[MerchantId], 1, i.[Status], i.[StatusChangedAt]
                        FROM inserted AS i JOIN deleted AS d ON d.[Id] = i.[Id]
                        WHERE i.[Status] <> d.[Status];
                END;');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER [TR_Orders_StatusChanged_Change];");
            migrationBuilder.Sql("DROP TRIGGER [TR_Orders_Inserted_Change];");

            migrationBuilder.DropIndex(
                name: "IX_OrderChanges_Version",
                table: "OrderChanges");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "OrderChanges");
        }
    }
}
