using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class OrderChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "TransactionId",
                table: "OrderChanges",
                type: "bigint",
                nullable: false,
                defaultValueSql: "pg_current_xact_id()::text::bigint");

            migrationBuilder.CreateIndex(
                name: "IX_OrderChanges_TransactionId",
                table: "OrderChanges",
                column: "TransactionId");

            // The change feed, written by hand (EF has no model for trigger bodies). Every writer's
            // insert or status change lands in OrderChanges in its own transaction (Kind 0 = Created,
            // 1 = StatusChanged), and TransactionId's default records that transaction. Each change row
            // also notifies the listening app processes; NOTIFY is delivered at commit, and repeats in
            // one transaction fold into one.
            migrationBuilder.Sql("""
                CREATE FUNCTION "merchantportal_order_change"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO "OrderChanges" ("OrderId", "MerchantId", "Kind", "Status", "ChangedAt")
                    VALUES (NEW."Id", NEW."MerchantId", CASE WHEN TG_OP = 'INSERT' THEN 0 ELSE 1 END, NEW."Status", NEW."StatusChangedAt");
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Orders_Inserted_Change" AFTER INSERT ON "Orders"
                FOR EACH ROW EXECUTE FUNCTION "merchantportal_order_change"();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Orders_StatusChanged_Change" AFTER UPDATE OF "Status" ON "Orders"
                FOR EACH ROW WHEN (OLD."Status" IS DISTINCT FROM NEW."Status") EXECUTE FUNCTION "merchantportal_order_change"();
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION "merchantportal_notify_order_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('merchantportal_order_changes', '');
                    RETURN NULL;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_OrderChanges_Notify" AFTER INSERT ON "OrderChanges"
                FOR EACH STATEMENT EXECUTE FUNCTION "merchantportal_notify_order_changes"();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "TR_OrderChanges_Notify" ON "OrderChanges";""");
            migrationBuilder.Sql("""DROP FUNCTION "merchantportal_notify_order_changes"();""");
            migrationBuilder.Sql("""DROP TRIGGER "TR_Orders_StatusChanged_Change" ON "Orders";""");
            migrationBuilder.Sql("""DROP TRIGGER "TR_Orders_Inserted_Change" ON "Orders";""");
            migrationBuilder.Sql("""DROP FUNCTION "merchantportal_order_change"();""");

            migrationBuilder.DropIndex(
                name: "IX_OrderChanges_TransactionId",
                table: "OrderChanges");

            migrationBuilder.DropColumn(
                name: "TransactionId",
                table: "OrderChanges");
        }
    }
}
