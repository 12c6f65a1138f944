package com.airotech.connect.app;

import com.airotech.connect.audit.AuditKey;
import com.airotech.connect.audit.AuditLog;
import com.airotech.connect.auth.ApiKeyVerifier;
import com.airotech.connect.auth.BasicVerifier;
import com.airotech.connect.auth.FailureThrottle;
import com.airotech.connect.auth.MtlsVerifier;
import com.airotech.connect.auth.OAuth2Verifier;
import com.airotech.connect.auth.RsaVerifier;
import com.airotech.connect.auth.HmacVerifier;
import com.airotech.connect.auth.InboundAuthenticator;
import com.airotech.connect.auth.ReplayGuard;
import com.airotech.connect.connection.ConnectionService;
import com.airotech.connect.connection.OutboundGuard;
import com.airotech.connect.bus.KafkaSettings;
import com.airotech.connect.bus.Outbox;
import com.airotech.connect.bus.OutboxRelay;
import com.airotech.connect.connector.AuthMethod;
import com.airotech.connect.connector.ConnectorService;
import com.airotech.connect.connector.MtlsIssuer;
import com.airotech.connect.connector.RsaIssuer;
import com.airotech.connect.connector.CredentialOwner;
import com.airotech.connect.connector.RandomSecretIssuer;
import com.airotech.connect.delivery.DeliveryHold;
import com.airotech.connect.delivery.DeliverySettings;
import com.airotech.connect.delivery.Dispatcher;
import com.airotech.connect.delivery.SigningSecrets;
import com.airotech.connect.delivery.SubscriptionService;
import com.airotech.connect.gateway.SubscriptionRoutes;
import com.airotech.connect.metrics.DeliveryMetrics;
import com.airotech.connect.gateway.ConnectionRoutes;
import com.airotech.connect.gateway.Gateway;
import com.airotech.connect.gateway.InboundRoutes;
import com.airotech.connect.ingest.IngestService;
import com.airotech.connect.ingest.RejectionAudit;
import com.airotech.connect.oauth.SigningKeys;
import com.airotech.connect.oauth.TokenService;
import com.airotech.connect.pki.LocalCa;
import com.airotech.connect.pki.ServerTls;
import com.airotech.connect.secret.AwsEnvironment;
import com.airotech.connect.secret.KeyRotation;
import com.airotech.connect.secret.LocalSecretStore;
import com.airotech.connect.gateway.OpsRoutes;
import com.airotech.connect.gateway.RetentionRoutes;
import com.airotech.connect.ingest.EventSink;
import com.airotech.connect.metrics.Metrics;
import com.airotech.connect.retention.DiskSpace;
import com.airotech.connect.retention.Pruner;
import com.airotech.connect.retention.RetentionService;
import com.airotech.connect.retention.StorageHealth;
import com.airotech.connect.secret.MasterKey;
import com.airotech.connect.secret.SecretStores;
import com.airotech.connect.store.ChangeWatcher;
import com.airotech.connect.store.DataDirectory;
import com.airotech.connect.store.Database;
import com.airotech.connect.status.StatusService;
import com.airotech.connect.tenant.TenantService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every service once, with plain constructor injection, and starts
 * and stops them in order. The command line, the headless gateway and the console all use it.
 */
public final class Platform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final Config config;
    private final DataDirectory dir;
    private final Database db;
    private final ChangeWatcher changes;
    private final AuditLog audit;
    private final TenantService tenants;
    private final ConnectorService connectors;
    private final IngestService ingest;
    private final MasterKey masterKey;
    private final LocalCa ca;
    private final RejectionAudit rejections;
    private final TokenService tokens;
    private final SigningKeys signingKeys;
    private final AwsEnvironment aws;
    private final ConnectionService connections;
    private final KeyRotation keyRotation;
    private final Metrics metrics;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final StatusService status;
    private final SubscriptionService subscriptions;
    private final Dispatcher dispatcher;
    private final DeliveryHold deliveryHold;
    private final RetentionService retention;
    private final StorageHealth storage;
    private final Pruner pruner;
    private AutoCloseable gatewayLock;
    private Gateway gateway;
    /** The started gateway, for threads that must not take this object's lock (outbound calls in flight). */
    private volatile Gateway listening;

    private Platform(Config config) {
        this.config = config;
        this.dir = DataDirectory.open(config.dataDir());
        this.masterKey = MasterKey.loadOrCreate(dir);
        // the keys before the database: a site's database is never left without them, so keys found
        // missing beside a database were lost, and are refused instead of made anew
        this.ca = LocalCa.loadOrCreate(dir, masterKey, config.clock());
        this.signingKeys = SigningKeys.loadOrCreate(dir, masterKey, config.clock());
        // airotech.writer.maxBatch=1 gives one commit per request: the benchmark's comparison figure
        this.db = Database.open(dir.resolve("airotech.db"), config.writerQueue(), Integer.getInteger("airotech.writer.maxBatch", 1024),
                com.airotech.connect.backup.BackupSchedule.beforeUpgrade(dir, config.clock()));
        db.setLinger(java.time.Duration.ofNanos(1000L * Integer.getInteger("airotech.writer.lingerMicros", 0)), Integer.getInteger("airotech.writer.lingerBatch", 32));
        this.metrics = new Metrics();
        db.setStats(metrics);
        this.changes = new ChangeWatcher(db, true);
        this.audit = AuditLog.openKeyed(dir, db, masterKey, config.clock());
        this.tenants = new TenantService(db, audit, config.clock(), changes);
        this.connectors = new ConnectorService(db, audit, masterKey, config.clock(), changes, List.of(
                new RandomSecretIssuer(AuthMethod.HMAC, masterKey),
                new RandomSecretIssuer(AuthMethod.API_KEY, masterKey),
                new RandomSecretIssuer(AuthMethod.BASIC, masterKey),
                new RandomSecretIssuer(AuthMethod.OAUTH2, masterKey),
                new RsaIssuer(),
                new MtlsIssuer(ca, LocalCa.DEFAULT_CLIENT_DAYS)));
        // the token endpoint and ingest count failed authentications apart: failures at one never make the other refuse
        FailureThrottle tokenThrottle = new FailureThrottle(config.clock());
        FailureThrottle ingestThrottle = new FailureThrottle(config.clock());
        this.rejections = new RejectionAudit(audit, config.clock(), 5);
        this.tokens = new TokenService(db, connectors, signingKeys, tokenThrottle, rejections, config.clock());
        InboundAuthenticator authenticator = new InboundAuthenticator(List.of(new HmacVerifier(), new ApiKeyVerifier(), new BasicVerifier(),
                new RsaVerifier(), new OAuth2Verifier(tokens), new MtlsVerifier(ca)));
        Optional<KafkaSettings> kafka = KafkaSettings.from(config.kafkaBootstrap(), config.kafkaProperties());
        this.outbox = kafka.isPresent() ? new Outbox(db, config.clock()) : null;
        this.ingest = new IngestService(db, connectors, authenticator, new ReplayGuard(config.clock()), config.clock(), ingestThrottle,
                outbox == null ? EventSink.NONE : outbox);
        ingest.addObserver(rejections);
        ingest.addObserver(metrics);
        this.relay = kafka.map(k -> new OutboxRelay(outbox, k, config.clock())).orElse(null);
        this.retention = new RetentionService(db, audit, config.clock());
        this.storage = new StorageHealth(db, dir.root(), DiskSpace.SYSTEM, config.clock());
        this.deliveryHold = new DeliveryHold(config.clock());
        // outbox rows left from a run with Kafka hold their events too, until Kafka is back
        this.pruner = new Pruner(db, audit, List.of(outbox != null ? outbox : new Outbox(db, config.clock()), deliveryHold), storage, config.clock(),
                Pruner.Options.fromSystemProperties());
        this.status = new StatusService(ingest, db, outbox, relay, kafka.map(KafkaSettings::bootstrap).orElse(null), config.clock(),
                storage, retention, pruner);
        metrics.gauge("airotech.storage.database.bytes", "Size of the database file", () -> storage.snapshot().databaseBytes());
        metrics.gauge("airotech.storage.wal.bytes", "Size of the database's write-ahead log", () -> storage.snapshot().walBytes());
        metrics.gauge("airotech.storage.free.bytes", "Free bytes on the disk holding the data directory", () -> storage.snapshot().freeBytes());
        metrics.gauge("airotech.writer.queue.depth", "Writes waiting for the group-commit writer", db::queueDepth);
        if (outbox != null) {
            metrics.gauge("airotech.outbox.depth", "Stored events not yet acknowledged by Kafka", () -> outbox.stats().depth());
            metrics.gauge("airotech.outbox.lag.seconds", "Age of the oldest event not yet acknowledged by Kafka", () -> outbox.stats().oldestAge().toMillis() / 1000.0);
            metrics.counter("airotech.outbox.published", "Events acknowledged by Kafka since start", relay, OutboxRelay::publishedTotal);
            metrics.counter("airotech.outbox.publish.failures", "Failed publish rounds since start (retried with backoff)", relay, OutboxRelay::failuresTotal);
        }
        this.aws = AwsEnvironment.standard();
        LocalSecretStore localSecrets = new LocalSecretStore(db, masterKey, config.clock());
        this.connections = new ConnectionService(db, audit, new SecretStores(localSecrets, aws), aws, config.clock(), this::callbackBase,
                new OutboundGuard(new OwnListeners(config, dir, () -> listening)));
        // delivery: the service everywhere; the dispatcher sends only beside a running gateway (startGateway)
        this.subscriptions = new SubscriptionService(db, audit, masterKey, config.clock(), connectors, connections, DeliverySettings.fromSystemProperties());
        this.dispatcher = new Dispatcher(subscriptions, new DeliveryMetrics(metrics));
        ingest.addObserver(dispatcher);
        changes.onChange(dispatcher::targetsChanged);
        changes.onChange(connections::settingsChanged);
        // values sealed directly by the master key (outside the secret store) are re-sealed by `keys rotate`
        this.keyRotation = new KeyRotation(masterKey, db, config.clock(), List.of(
                new KeyRotation.SealedColumn("connector_credentials", List.of("tenant_id", "connector_id", "credential_id"), "sealed_secret",
                        k -> new CredentialOwner(k.get(0), k.get(1), k.get(2)).associatedData()),
                new KeyRotation.SealedColumn("audit_keys", List.of("key_id", "created_at"), "sealed_key", k -> AuditKey.associatedData(k.get(0), k.get(1))),
                new KeyRotation.SealedColumn("subscription_secrets", List.of("tenant_id", "subscription_id", "secret_id"), "sealed_secret",
                        k -> SigningSecrets.associatedData(k.get(0), k.get(1), k.get(2)))))
                // and so are the key files sealed by it: the local CA's key and the OAuth2 signing keys
                .alsoReseal(() -> LocalCa.resealKeyFile(dir, masterKey))
                .alsoReseal(signingKeys::reseal);
    }

    /**
     * Where vendors send OAuth2 consents back: this process's gateway when it runs, else the gateway
     * serving this data directory (the command line beside a running gateway), else the configured port.
     */
    private String callbackBase() {
        Gateway g = listening;
        String bind = config.bind();
        int port;
        if (g != null) {
            port = g.httpPort();
        } else {
            java.util.Optional<DataDirectory.RunningGateway> running = dir.runningGateway();
            if (running.isPresent()) bind = running.get().bind();
            port = running.map(DataDirectory.RunningGateway::httpPort)
                    .orElse(config.httpPort() > 0 ? config.httpPort() : Config.DEFAULT_HTTP_PORT);
        }
        String host = bind == null || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + port;
    }

    public static Platform open(Config config) { return new Platform(config); }

    public Config config() { return config; }
    public DataDirectory dataDirectory() { return dir; }
    public Database database() { return db; }
    public AuditLog audit() { return audit; }
    public TenantService tenants() { return tenants; }
    public ConnectorService connectors() { return connectors; }
    public IngestService ingest() { return ingest; }
    public LocalCa ca() { return ca; }
    public TokenService tokens() { return tokens; }
    public RejectionAudit rejections() { return rejections; }
    public ConnectionService connections() { return connections; }
    public KeyRotation keyRotation() { return keyRotation; }
    public Metrics metrics() { return metrics; }
    public StatusService status() { return status; }
    public SubscriptionService subscriptions() { return subscriptions; }
    public Dispatcher dispatcher() { return dispatcher; }
    /** What retention must keep for delivery (an {@link com.airotech.connect.ingest.EventHold}). */
    public DeliveryHold deliveryHold() { return deliveryHold; }
    public RetentionService retention() { return retention; }
    public StorageHealth storageHealth() { return storage; }
    public Pruner pruner() { return pruner; }
    /** The Kafka relay, or null when Kafka is off. */
    public OutboxRelay relay() { return relay; }

    /** Starts the gateway; only one gateway may serve a data directory. */
    public synchronized Gateway startGateway() {
        if (gateway != null) return gateway;
        gatewayLock = dir.lockForGateway();
        try {
            Gateway g = new Gateway(
                    new Gateway.Settings(config.bind(), config.httpPort(), config.httpsPort(), config.maxBodyBytes(),
                            config.httpsPort() >= 0 ? ServerTls.context(ca, config.tlsSans()) : null, config.limits()),
                    new Gateway.Services(tenants, connectors, ingest, audit, routes()));
            g.start();
            gateway = g;
            listening = g;
            if (g.httpPort() > 0) dir.recordGateway(config.bind(), g.httpPort());
            if (relay != null) relay.start();
            dispatcher.start();
            pruner.start();
            return g;
        } catch (RuntimeException e) {
            releaseLock();
            throw e;
        }
    }

    /** Routes contributed by the features beyond connector administration and ingest. */
    private List<Gateway.Route> routes() {
        List<Gateway.Route> routes = new ArrayList<>(InboundRoutes.of(tokens, ca));
        routes.addAll(ConnectionRoutes.of(tenants, connections, config.maxBodyBytes()));
        routes.addAll(OpsRoutes.routes(tenants, status, metrics));
        routes.addAll(com.airotech.connect.gateway.AdminTokenRoutes.of(tenants, config.maxBodyBytes()));
        routes.addAll(SubscriptionRoutes.of(tenants, subscriptions, config.maxBodyBytes()));
        routes.addAll(RetentionRoutes.of(tenants, retention, config.maxBodyBytes()));
        return routes;
    }

    public synchronized Gateway gateway() { return gateway; }

    private boolean closed; // guarded by this

    /** Stops the gateway (requests in flight finish), then flushes the writer and closes storage; once. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (gateway != null) {
            dir.forgetGateway();
            gateway.close();
            gateway = null;
            listening = null;
        }
        rejections.close();
        dispatcher.close();
        pruner.close();
        if (relay != null) relay.close();
        changes.close();
        aws.close();
        db.close();
        metrics.close();
        releaseLock();
        log.info("stopped cleanly");
    }

    private void releaseLock() {
        if (gatewayLock != null) {
            try { gatewayLock.close(); } catch (Exception ignored) { /* the process is ending anyway */ }
            gatewayLock = null;
        }
    }
}
