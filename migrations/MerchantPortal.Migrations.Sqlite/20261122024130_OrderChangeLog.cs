using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderChangeLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Orders_StatusChangedAt",
                table: "Orders");

            migrationBuilder.AddColumn<bool>(
                name: "SoundAlerts",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "OrderChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrderId = table.Column<long>(type: "INTEGER", nullable: false),
                    MerchantId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderChanges_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OrderChanges_ChangedAt",
                table: "OrderChanges",
                column: "ChangedAt");

            migrationBuilder.CreateIndex(
                name: "IX_OrderChanges_OrderId",
                table: "OrderChanges",
                column: "OrderId");

            // Every writer's insert or status change lands in OrderChanges in its own
            // transaction (Kind 0 = Created, 1 = StatusChanged). Written by hand: EF has no
            // model for trigger bodies.
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Orders_Inserted_Change" AFTER INSERT ON "Orders"
                BEGIN
                    INSERT INTO "OrderChanges" ("OrderId", "MerchantId", "Kind", "Status", "ChangedAt")
                    VALUES (NEW."Id", NEW."MerchantId", 0, NEW."Status", NEW."StatusChangedAt");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Orders_StatusChanged_Change" AFTER UPDATE OF "Status" ON "Orders"
                WHEN OLD."Status" <> NEW."Status"
                BEGIN
                    INSERT INTO "OrderChanges" ("OrderId", "MerchantId", "Kind", "Status", "ChangedAt")
                    VALUES (NEW."Id", NEW."MerchantId", 1, NEW."Status", NEW."StatusChangedAt");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Orders_Inserted_Change";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Orders_StatusChanged_Change";""");

            migrationBuilder.DropTable(
                name: "OrderChanges");

            migrationBuilder.DropColumn(
                name: "SoundAlerts",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_StatusChangedAt",
                table: "Orders",
                column: "StatusChangedAt");
        }
    }
}
