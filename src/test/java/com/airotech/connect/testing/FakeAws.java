package com.airotech.connect.testing;

import com.airotech.connect.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS on loopback, spoken on the wire as the real SDK clients speak it: STS (query protocol, XML
 * answers: AssumeRole, GetCallerIdentity) and Secrets Manager (JSON 1.1: CreateSecret,
 * PutSecretValue, GetSecretValue, DescribeSecret, UpdateSecretVersionStage, DeleteSecret).
 * An API Gateway endpoint with IAM authorization answers under {@value #EXECUTE_API_PREFIX} (the
 * stage's base URL is {@link #executeApiUrl}): it accepts only requests signed for
 * {@code execute-api} by an assumed-role session (with its {@code X-Amz-Security-Token}) and
 * records each ({@link #invokes}); anything else is 403 as API Gateway answers it.
 * Every request's SigV4 signature is verified — the canonical request is rebuilt from the
 * signed headers, and {@code x-amz-content-sha256}, when sent, must be the body's hash — so a
 * request the real service would refuse is refused here too. It never answers 500 (the SDK
 * would retry): a bad signature is 403 (STS) or 400 (Secrets Manager).
 */
public final class FakeAws implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String PLATFORM_ACCOUNT = "999999999999";
    public static final String PLATFORM_ARN = "arn:aws:iam::" + PLATFORM_ACCOUNT + ":user/airotech-platform";

    public final String accessKeyId = "AKIA" + upper(16);
    public final String secretAccessKey = random(30);
    public final AtomicInteger verified = new AtomicInteger();
    public final List<String> signatureFailures = new CopyOnWriteArrayList<>();
    /** Every AssumeRole: role ARN and the ExternalId it carried. */
    public final List<String[]> assumeRoles = new CopyOnWriteArrayList<>();
    /** Every GetCallerIdentity: the access key id that signed it. */
    public final List<String> callerIdentities = new CopyOnWriteArrayList<>();
    public static final String EXECUTE_API_PREFIX = "/execute-api/";

    /** One request API Gateway let through: who signed it (session key and its role), for which region, and what it carried. */
    public record Invoke(String method, String path, String accessKeyId, String roleArn, String region, Map<String, List<String>> headers, byte[] body) {}

    /** Every verified execute-api request, in arrival order. */
    public final List<Invoke> invokes = new CopyOnWriteArrayList<>();
    /** Every execute-api request refused (its reason), in arrival order. */
    public final List<String> invokeRefusals = new CopyOnWriteArrayList<>();
    /** role ARN → the external id its trust policy demands. */
    public final Map<String, String> roles = new ConcurrentHashMap<>();

    private record Session(String secret, String token, String roleArn) {}

    private static final class Version {
        final String secretString;
        final List<String> stages = new CopyOnWriteArrayList<>();

        Version(String s) { this.secretString = s; }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** secret name → version id → version (insertion ordered). */
    public final Map<String, Map<String, Version>> secrets = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    public FakeAws() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Secret keys and session tokens of every assumed-role session (for leak checks). */
    public List<String> sessionMaterial() {
        List<String> out = new ArrayList<>();
        sessions.values().forEach(s -> {
            out.add(s.secret());
            out.add(s.token());
        });
        return out;
    }

    public String endpoint() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    /** The base URL of an API Gateway stage on this fake, e.g. {@code http://127.0.0.1:port/execute-api/prod}. */
    public String executeApiUrl(String stage) { return endpoint() + EXECUTE_API_PREFIX + stage; }

    /** An assumed-role session's credentials (access key id, secret, token), or null: lets a test sign a request of its own. */
    public String[] session(String accessKeyId) {
        Session s = sessions.get(accessKeyId);
        return s == null ? null : new String[] {accessKeyId, s.secret(), s.token()};
    }

    /** The secret string of the version carrying a stage, or null. */
    public String secretString(String name, String stage) {
        Map<String, Version> vs = secrets.get(name);
        if (vs == null) return null;
        for (Version v : vs.values()) if (v.stages.contains(stage)) return v.secretString;
        return null;
    }

    public Map<String, List<String>> stages(String name) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        secrets.getOrDefault(name, Map.of()).forEach((id, v) -> out.put(id, List.copyOf(v.stages)));
        return out;
    }

    /** Bytes of everything this fake stores, for leak checks of other places. */
    public boolean holds(String text) {
        return secrets.values().stream().flatMap(m -> m.values().stream()).anyMatch(v -> v.secretString.contains(text));
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        if (ex.getRequestURI().getRawPath().startsWith(EXECUTE_API_PREFIX)) {
            executeApi(ex, body);
            return;
        }
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        boolean sm = target != null && target.startsWith("secretsmanager.");
        String service = sm ? "secretsmanager" : "sts";
        String signer;
        try {
            signer = verify(ex, body, service);
        } catch (SignatureException e) {
            signatureFailures.add(e.getMessage());
            if (sm) json(ex, 400, Json.object().put("__type", "InvalidSignatureException").put("message", e.getMessage()));
            else stsError(ex, 403, "SignatureDoesNotMatch", e.getMessage());
            return;
        }
        verified.incrementAndGet();
        if (sm) secretsManager(ex, target.substring("secretsmanager.".length()), body);
        else sts(ex, FakeOAuthServer.form(new String(body, StandardCharsets.UTF_8)), signer);
    }

    // ------------------------------------------------------------------ SigV4

    static final class SignatureException extends Exception {
        SignatureException(String m) { super(m); }
    }

    private String verify(HttpExchange ex, byte[] body, String service) throws SignatureException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) throw new SignatureException("missing AWS4-HMAC-SHA256 authorization");
        Map<String, String> parts = new LinkedHashMap<>();
        for (String p : auth.substring(17).split(",")) {
            String[] kv = p.strip().split("=", 2);
            if (kv.length == 2) parts.put(kv[0], kv[1]);
        }
        String[] scope = parts.getOrDefault("Credential", "").split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) throw new SignatureException("malformed credential scope");
        if (!scope[3].equals(service)) throw new SignatureException("credential scope names service " + scope[3] + ", not " + service);
        String akid = scope[0];
        String secret;
        Session session = sessions.get(akid);
        if (akid.equals(accessKeyId)) {
            secret = secretAccessKey;
        } else if (session != null) {
            secret = session.secret();
            if (!session.token().equals(ex.getRequestHeaders().getFirst("X-Amz-Security-Token"))) throw new SignatureException("session token missing or wrong");
        } else {
            throw new SignatureException("unknown access key " + akid);
        }
        String amzDate = ex.getRequestHeaders().getFirst("X-Amz-Date");
        if (amzDate == null || !amzDate.startsWith(scope[1])) throw new SignatureException("X-Amz-Date missing or not on the scope's date");
        String payloadHash = hex(sha256(body));
        String declared = ex.getRequestHeaders().getFirst("X-Amz-Content-Sha256");
        if (declared != null && !declared.equals("UNSIGNED-PAYLOAD") && !declared.equals(payloadHash)) {
            throw new SignatureException("x-amz-content-sha256 does not match the body");
        }
        String signedHeaders = parts.getOrDefault("SignedHeaders", "");
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String h : signedHeaders.split(";")) {
            List<String> values = ex.getRequestHeaders().get(h);
            if (values == null) throw new SignatureException("signed header " + h + " is absent");
            List<String> trimmed = new ArrayList<>();
            for (String v : values) trimmed.add(v.strip().replaceAll("\\s+", " "));
            canonicalHeaders.append(h).append(':').append(String.join(",", trimmed)).append('\n');
        }
        if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) throw new SignatureException("host and x-amz-date must be signed");
        if (session != null && !signedHeaders.contains("x-amz-security-token")) throw new SignatureException("the session token must be signed");
        String canonicalRequest = ex.getRequestMethod() + "\n" + canonicalUri(ex.getRequestURI().getRawPath()) + "\n"
                + canonicalQuery(ex.getRequestURI().getRawQuery()) + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n"
                + (declared != null && !declared.equals("UNSIGNED-PAYLOAD") ? declared : payloadHash);
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scope[1]);
        k = hmac(k, scope[2]);
        k = hmac(k, scope[3]);
        k = hmac(k, "aws4_request");
        String expected = hex(hmac(k, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), parts.getOrDefault("Signature", "").getBytes(StandardCharsets.US_ASCII))) {
            throw new SignatureException("The request signature we calculated does not match the signature you provided.");
        }
        return akid;
    }

    private static String canonicalUri(String raw) { return raw == null || raw.isEmpty() ? "/" : raw; }

    private static String canonicalQuery(String raw) {
        if (raw == null || raw.isEmpty()) return "";
        List<String> pairs = new ArrayList<>(List.of(raw.split("&")));
        pairs.replaceAll(p -> p.contains("=") ? p : p + "=");
        pairs.sort(null);
        return String.join("&", pairs);
    }

    // ------------------------------------------------------------------ API Gateway (IAM authorization)

    private void executeApi(HttpExchange ex, byte[] body) throws IOException {
        String akid;
        try {
            akid = verify(ex, body, "execute-api");
            // API Gateway's IAM authorization here trusts the tenant's role, never the platform's own key
            if (!sessions.containsKey(akid)) throw new SignatureException("signed by " + akid + ", not by an assumed-role session");
        } catch (SignatureException e) {
            signatureFailures.add(e.getMessage());
            invokeRefusals.add(e.getMessage());
            send(ex, 403, "application/json", Json.writeBytes(Json.object().put("message", e.getMessage())));
            return;
        }
        verified.incrementAndGet();
        String region = ex.getRequestHeaders().getFirst("Authorization").split("Credential=")[1].split("/")[2];
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
        invokes.add(new Invoke(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), akid, sessions.get(akid).roleArn(), region, headers, body));
        send(ex, 200, "application/json", "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ STS

    private void sts(HttpExchange ex, Map<String, String> form, String signer) throws IOException {
        String action = form.getOrDefault("Action", "");
        if (action.equals("GetCallerIdentity")) {
            callerIdentities.add(signer);
            Session s = sessions.get(signer);
            String arn = s == null ? PLATFORM_ARN : s.roleArn().replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/airotech";
            String account = s == null ? PLATFORM_ACCOUNT : s.roleArn().split(":")[4];
            xml(ex, 200, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
                    + "<Arn>" + arn + "</Arn><UserId>AIDA" + upper(12) + "</UserId><Account>" + account + "</Account>"
                    + "</GetCallerIdentityResult><ResponseMetadata><RequestId>" + java.util.UUID.randomUUID() + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
            return;
        }
        if (!action.equals("AssumeRole")) {
            stsError(ex, 400, "InvalidAction", "unsupported action " + action);
            return;
        }
        String role = form.get("RoleArn");
        String externalId = form.get("ExternalId");
        assumeRoles.add(new String[] {role, externalId});
        String expected = role == null ? null : roles.get(role);
        if (!signer.equals(accessKeyId) || expected == null || !expected.equals(externalId)) {
            stsError(ex, 403, "AccessDenied", "User: " + PLATFORM_ARN + " is not authorized to perform: sts:AssumeRole on resource: " + role);
            return;
        }
        int duration = Integer.parseInt(form.getOrDefault("DurationSeconds", "3600"));
        String akid = "ASIA" + upper(16);
        Session s = new Session(random(30), random(60), role);
        sessions.put(akid, s);
        String exp = Instant.now().plusSeconds(duration).truncatedTo(ChronoUnit.SECONDS).toString();
        xml(ex, 200, "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                + "<Credentials><AccessKeyId>" + akid + "</AccessKeyId><SecretAccessKey>" + s.secret() + "</SecretAccessKey>"
                + "<SessionToken>" + s.token() + "</SessionToken><Expiration>" + exp + "</Expiration></Credentials>"
                + "<AssumedRoleUser><Arn>" + role.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/" + form.get("RoleSessionName")
                + "</Arn><AssumedRoleId>AROA" + upper(12) + ":" + form.get("RoleSessionName") + "</AssumedRoleId></AssumedRoleUser>"
                + "</AssumeRoleResult><ResponseMetadata><RequestId>" + java.util.UUID.randomUUID() + "</RequestId></ResponseMetadata></AssumeRoleResponse>");
    }

    private static void stsError(HttpExchange ex, int status, String code, String message) throws IOException {
        xml(ex, status, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>" + code
                + "</Code><Message>" + message + "</Message></Error><RequestId>" + java.util.UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    // ------------------------------------------------------------------ Secrets Manager

    private void secretsManager(HttpExchange ex, String op, byte[] body) throws IOException {
        JsonNode in = Json.tree(body);
        String id = in.path("SecretId").asText(in.path("Name").asText(null));
        Map<String, Version> versions = id == null ? null : secrets.get(id);
        ObjectNode out = Json.object().put("ARN", "arn:aws:secretsmanager:us-east-1:" + PLATFORM_ACCOUNT + ":secret:" + id).put("Name", id);
        switch (op) {
            case "CreateSecret" -> {
                if (versions != null) {
                    smError(ex, "ResourceExistsException", "the secret " + id + " already exists");
                    return;
                }
                Map<String, Version> vs = new LinkedHashMap<>();
                Version v = new Version(in.path("SecretString").asText());
                v.stages.add("AWSCURRENT");
                vs.put(in.path("ClientRequestToken").asText(), v);
                secrets.put(id, vs);
                out.put("VersionId", in.path("ClientRequestToken").asText());
            }
            case "PutSecretValue" -> {
                if (versions == null) {
                    smError(ex, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                    return;
                }
                String vid = in.path("ClientRequestToken").asText();
                List<String> stages = new ArrayList<>();
                in.path("VersionStages").forEach(s -> stages.add(s.asText()));
                if (stages.isEmpty()) stages.add("AWSCURRENT");
                Version v = versions.computeIfAbsent(vid, k -> new Version(in.path("SecretString").asText()));
                for (String st : stages) moveStage(versions, st, vid);
                out.put("VersionId", vid);
                ArrayNode a = out.putArray("VersionStages");
                v.stages.forEach(a::add);
            }
            case "GetSecretValue" -> {
                Version v = null;
                String vid = null;
                if (versions != null) {
                    String wantId = in.path("VersionId").asText(null);
                    String wantStage = in.path("VersionStage").asText(wantId == null ? "AWSCURRENT" : null);
                    for (Map.Entry<String, Version> e : versions.entrySet()) {
                        if ((wantId == null || e.getKey().equals(wantId)) && (wantStage == null || e.getValue().stages.contains(wantStage))) {
                            v = e.getValue();
                            vid = e.getKey();
                        }
                    }
                }
                if (v == null) {
                    smError(ex, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value.");
                    return;
                }
                out.put("VersionId", vid).put("SecretString", v.secretString).put("CreatedDate", Instant.now().getEpochSecond());
                ArrayNode a = out.putArray("VersionStages");
                v.stages.forEach(a::add);
            }
            case "DescribeSecret" -> {
                if (versions == null) {
                    smError(ex, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                    return;
                }
                ObjectNode map = out.putObject("VersionIdsToStages");
                versions.forEach((k, v) -> {
                    ArrayNode a = map.putArray(k);
                    v.stages.forEach(a::add);
                });
            }
            case "UpdateSecretVersionStage" -> {
                if (versions == null) {
                    smError(ex, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                    return;
                }
                String stage = in.path("VersionStage").asText();
                String remove = in.path("RemoveFromVersionId").asText(null);
                String move = in.path("MoveToVersionId").asText(null);
                Version holder = versions.values().stream().filter(v -> v.stages.contains(stage)).findFirst().orElse(null);
                if (move != null && holder != null && remove == null && holder != versions.get(move)) {
                    smError(ex, "InvalidParameterException", "The staging label " + stage + " is attached to another version; give RemoveFromVersionId.");
                    return;
                }
                if (remove != null && versions.containsKey(remove)) versions.get(remove).stages.remove(stage);
                if (move != null) {
                    if (!versions.containsKey(move)) {
                        smError(ex, "ResourceNotFoundException", "no version " + move);
                        return;
                    }
                    if (stage.equals("AWSCURRENT") && remove != null) moveStage(versions, "AWSPREVIOUS", remove);
                    moveStage(versions, stage, move);
                }
            }
            case "DeleteSecret" -> {
                if (versions == null) {
                    smError(ex, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                    return;
                }
                secrets.remove(id);
                out.put("DeletionDate", Instant.now().plusSeconds(7 * 86400).getEpochSecond());
            }
            default -> {
                smError(ex, "InvalidRequestException", "unsupported operation " + op);
                return;
            }
        }
        json(ex, 200, out);
    }

    private static void moveStage(Map<String, Version> versions, String stage, String toVersion) {
        versions.values().forEach(v -> v.stages.remove(stage));
        Version v = versions.get(toVersion);
        if (v != null && !v.stages.contains(stage)) v.stages.add(stage);
    }

    private static void smError(HttpExchange ex, String type, String message) throws IOException {
        json(ex, 400, Json.object().put("__type", type).put("Message", message));
    }

    // ------------------------------------------------------------------ helpers

    private static void xml(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, "text/xml", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void json(HttpExchange ex, int status, ObjectNode body) throws IOException {
        send(ex, status, "application/x-amz-json-1.1", Json.writeBytes(body));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] b) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

    private static String random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b).replace("+", "A").replace("/", "B").replace("=", "").substring(0, n);
    }

    private static String upper(int n) {
        String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(a.charAt(RANDOM.nextInt(a.length())));
        return sb.toString();
    }

    /** Points the SDK's standard settings (system properties) at this fake; {@link #clearSystemProperties()} undoes it. */
    public void useThroughSystemProperties(String platformPrincipal) {
        System.setProperty("aws.accessKeyId", accessKeyId);
        System.setProperty("aws.secretAccessKey", secretAccessKey);
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.endpointUrlSts", endpoint());
        System.setProperty("aws.endpointUrlSecretsManager", endpoint());
        if (platformPrincipal != null) System.setProperty("airotech.aws.principalArn", platformPrincipal);
    }

    public static void clearSystemProperties() {
        for (String p : List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region", "aws.endpointUrlSts", "aws.endpointUrlSecretsManager",
                "airotech.aws.principalArn")) {
            System.clearProperty(p);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
