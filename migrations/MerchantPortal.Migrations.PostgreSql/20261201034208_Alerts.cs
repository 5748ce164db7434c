using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MerchantPortal.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Alerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AcknowledgedAt",
                table: "Orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AcknowledgedBy",
                table: "Orders",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedBy",
                table: "Orders",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstShownAt",
                table: "Orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "AlertNotifications",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "AlertRepeatSeconds",
                table: "AspNetUsers",
                type: "integer",
                nullable: false,
                defaultValue: 30); // existing users get the product default (ring every 30 s), not 0

            migrationBuilder.AddColumn<DateTime>(
                name: "AwayDismissedUpTo",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastLiveAt",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MerchantPresence",
                columns: table => new
                {
                    MerchantId = table.Column<int>(type: "integer", nullable: false),
                    NodeName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Since = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MerchantPresence", x => new { x.MerchantId, x.NodeName });
                    table.ForeignKey(
                        name: "FK_MerchantPresence_Merchants_MerchantId",
                        column: x => x.MerchantId,
                        principalTable: "Merchants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_Status_AcknowledgedAt_CreatedAt",
                table: "Orders",
                columns: new[] { "Status", "AcknowledgedAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MerchantPresence_NodeName",
                table: "MerchantPresence",
                column: "NodeName");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MerchantPresence");

            migrationBuilder.DropIndex(
                name: "IX_Orders_Status_AcknowledgedAt_CreatedAt",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "AcknowledgedAt",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "AcknowledgedBy",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "DecidedBy",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "FirstShownAt",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "AlertNotifications",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "AlertRepeatSeconds",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "AwayDismissedUpTo",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "LastLiveAt",
                table: "AspNetUsers");
        }
    }
}
