package com.airotech.connect.cli;

import com.airotech.connect.app.Platform;
import com.airotech.connect.common.Json;
import com.airotech.connect.common.Times;
import com.airotech.connect.delivery.NewSubscription;
import com.airotech.connect.delivery.Subscription;
import com.airotech.connect.delivery.SubscriptionPatch;
import com.airotech.connect.delivery.SubscriptionService;
import com.airotech.connect.tenant.Principal;
import com.airotech.connect.wire.SubscriptionAnswers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code airotech-connect subscriptions …} (API.md §7): the same service calls as the HTTP API, for
 * scripts and operators at the site server. A gateway running on the same data directory picks the
 * changes up within a second.
 */
public final class SubscriptionsCommands {
    private SubscriptionsCommands() {}

    @Command(name = "subscriptions", mixinStandardHelpOptions = true,
            description = "Deliver a tenant's events to connectors' webhook URLs or over connections (subscriptions), and read, retry or recover their deliveries.",
            subcommands = {ListCmd.class, Create.class, Show.class, Enable.class, Disable.class, Delete.class, RotateSecret.class, Deliveries.class,
                    Retry.class, Recover.class})
    public static final class Group {}

    abstract static class TenantScoped extends TenantCommand {
        @Override
        Integer run(Platform p, Principal principal) {
            return run(p.subscriptions(), principal);
        }

        abstract Integer run(SubscriptionService subscriptions, Principal principal);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's subscriptions with health, backlog and lag.")
    static final class ListCmd extends TenantScoped {
        @Override
        Integer run(SubscriptionService s, Principal p) {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (Subscription sub : s.list(p)) arr.add(SubscriptionService.toJson(sub, s.stats(sub)));
            Output.print(arr);
            return 0;
        }
    }

    static final class TargetOptions {
        @Option(names = "--connector", paramLabel = "CONNECTOR_ID", required = true, description = "Deliver to this connector's webhook_url (signed; a signing secret is printed once).")
        String connector;
    }

    static final class ConnectionTarget {
        @Option(names = "--connection", paramLabel = "CONNECTION_ID", required = true, description = "Deliver over this connection, with its own authentication.")
        String connection;
        @Option(names = "--path", paramLabel = "PATH", required = true, description = "The path on the connection's base_url, e.g. /api/events.") String path;
        @Option(names = "--method", paramLabel = "METHOD", description = "POST (default), PUT or PATCH.") String method;
    }

    static final class Target {
        @ArgGroup(exclusive = false) TargetOptions connector;
        @ArgGroup(exclusive = false) ConnectionTarget connection;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a subscription; prints it, with the Standard Webhooks signing secret for a connector target (shown this once).")
    static final class Create extends TenantScoped {
        @Option(names = "--name", required = true, paramLabel = "NAME") String name;
        @ArgGroup(exclusive = true, multiplicity = "1") Target target;
        @Option(names = "--event-type", paramLabel = "TYPE", description = "Only these event types (repeatable; default: any).") List<String> eventTypes;
        @Option(names = "--source-connector", paramLabel = "CONNECTOR_ID", description = "Only events of these connectors (repeatable; default: any).")
        List<String> sources;
        @Option(names = "--start-from", paramLabel = "WHEN", description = "now (default: events stored from now on), earliest, or an ISO-8601 time.")
        String startFrom;
        @Option(names = "--disabled", description = "Create it disabled.") boolean disabled;

        @Override
        Integer run(SubscriptionService s, Principal p) {
            ObjectNode body = Json.object().put("name", name).put("enabled", !disabled);
            if (eventTypes != null) body.set("event_types", Json.MAPPER.valueToTree(eventTypes));
            if (sources != null) body.set("source_connectors", Json.MAPPER.valueToTree(sources));
            if (startFrom != null) body.put("start_from", startFrom);
            ObjectNode t = body.putObject("target");
            if (target.connector != null) {
                t.put("connector_id", target.connector.connector);
            } else {
                t.put("connection_id", target.connection.connection).put("path", target.connection.path);
                if (target.connection.method != null) t.put("method", target.connection.method);
            }
            Output.print(SubscriptionAnswers.created(s.create(p, NewSubscription.fromJson(body))));
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one subscription (never its secret).")
    static final class Show extends TenantScoped {
        @Parameters(paramLabel = "SUBSCRIPTION_ID") String id;

        @Override
        Integer run(SubscriptionService s, Principal p) {
            Subscription sub = s.get(p, id);
            Output.print(SubscriptionService.toJson(sub, s.stats(sub)));
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a subscription: it goes on from where it stopped.")
    static final class Enable extends TenantScoped {
        @Parameters(paramLabel = "SUBSCRIPTION_ID") String id;

        @Override
        Integer run(SubscriptionService s, Principal p) {
            Output.print(SubscriptionService.toJson(s.update(p, id, SubscriptionPatch.enable(true)), null));
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a subscription: nothing more is sent until it is enabled again.")
    static final class Disable extends TenantScoped {
        @Parameters(paramLabel = "SUBSCRIPTION_ID") String id;

        @Override
        Integer run(SubscriptionService s, Principal p) {
            Output.print(SubscriptionService.toJson(s.update(p, id, SubscriptionPatch.enable(false)), null));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a subscription with its deliveries' history.")
    static final class Delete extends TenantScoped {
        @Parameters(paramLabel = "SUBSCRIPTION_ID") String id;

        @Override
        Integer run(SubscriptionService s, Principal p) {
            s.delete(p, id);
            Output.print(Json.object().put("subscription_id", id).put("deleted", true));
            return 0;
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = "Issue a new signing secret (printed once); the previous one keeps signing for the grace, so receivers can switch over.")
    static final class RotateSecret extends TenantScoped {
        @Parameters(paramLabel = "SUBSCRIPTION_ID") String id;
        @Option(names = "--grace-seconds", paramLabel = "N", description = "How long the previous secret still signs (default 86400).") Integer grace;

        @Override
        Integer run(SubscriptionService s, Principal p) {
            Output.print(SubscriptionAnswers.rotated(s.rotateSecret(p, id, grace)));
            return 0;
        }
    }

    @Command(name = "deliveries", mixinStandardHelpOptions = true, description = "A page of a subscription's deliveries with their attempts, newest first.")
    static final class Deliveries extends TenantScoped {
        @Parameters(paramLabel = "SUBSCRIPTION_ID") String id;
        @Option(names = "--status", paramLabel = "STATUS", description = "pending, delivered or failed.") String status;
        @Option(names = "--limit", paramLabel = "N", description = "At most N (default 100, up to 500).") Integer limit;
        @Option(names = "--cursor", paramLabel = "C", description = "The next_cursor of the previous page.") String cursor;

        @Override
        Integer run(SubscriptionService s, Principal p) {
            Output.print(SubscriptionService.toJson(s.deliveries(p, id, status, cursor, limit)));
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Send one delivery again now (a dead letter gets one more attempt).")
    static final class Retry extends TenantScoped {
        @Parameters(paramLabel = "DELIVERY_ID") String id;

        @Override
        Integer run(SubscriptionService s, Principal p) {
            Output.print(SubscriptionService.toJson(s.retry(p, id)));
            return 0;
        }
    }

    @Command(name = "recover", mixinStandardHelpOptions = true, description = "Send every failed delivery of events received since a time again, in order.")
    static final class Recover extends TenantScoped {
        @Parameters(paramLabel = "SUBSCRIPTION_ID") String id;
        @Option(names = "--since", required = true, paramLabel = "TIME", description = "An ISO-8601 time, e.g. 2026-11-22T10:00:00Z.") String since;

        @Override
        Integer run(SubscriptionService s, Principal p) {
            int n = s.recover(p, id, Times.parse(since, "since"));
            Output.print(Json.object().put("subscription_id", id).put("queued", n));
            return 0;
        }
    }
}
