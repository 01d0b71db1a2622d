package org.convene.web;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What checking a signature against the API document costs per request (docs/BENCHMARKS.md,
 * "Signing"): the steps ApiDocument takes for a sign request (its parameters, then its JSON body, or
 * its form's fields), in a loop on one thread, in CPU time; the validator's own validateBody (which
 * builds a schema validator per request) beside the validator built once that ApiDocument uses; and the hop to a worker thread and back
 * that the checks of small bodies no longer take. Not a test: it measures and prints.
 * Usage: {@code java -cp target/classes:target/test-classes:$(cat target/bench-cp.txt) org.convene.web.ValidationCost [rounds]}
 */
public final class ValidationCost {
  private ValidationCost() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject document = ApiDocument.read();
      OpenAPIContract contract = OpenAPIContract.from(vertx, ApiDocument.validatable(document)).await(60, TimeUnit.SECONDS);
      RequestValidatorImpl checks = new RequestValidatorImpl(vertx, contract);
      Bodies bodies = Bodies.of(contract, document);
      Operation signOp = contract.operation("sign");
      Validator signBody = contract.getSchemaRepository()
          .validator(signOp.getRequestBody().getContent().get("application/json").getSchema());
      BodySchemas compiled = BodySchemas.of(document);
      Findings findings = new Findings(document);
      Operation sign = signOp;
      JsonObject signer = new JsonObject().put("name", "Amal Haddad").put("email", "amal.haddad@example.org")
          .put("country", "FR").put("city", "Marseille").put("comment", "We were there.").put("display", "full")
          .put("language", "fr").put("updates", true);
      Buffer body = signer.toBuffer();
      MultiMap form = MultiMap.caseInsensitiveMultiMap();
      signer.forEach(e -> form.add(e.getKey(), String.valueOf(e.getValue())));
      form.set("updates", "on").add("csrf", "x".repeat(75));
      Map<String, RequestParameter> path = Map.of("id", new RequestParameterImpl("k3j9x2p8q7w1"));

      Runnable perRequest = () -> {
        ValidatableRequestImpl request = new ValidatableRequestImpl(Map.of(), Map.of(), path, Map.of(),
            new RequestParameterImpl(body), "application/json");
        checks.validateBody(sign.getRequestBody(), request);
      };
      Runnable json = () -> {
        ValidatableRequestImpl request = new ValidatableRequestImpl(Map.of(), Map.of(), path, Map.of(),
            new RequestParameterImpl(body), "application/json");
        Findings.Found found = new Findings.Found();
        for (Parameter parameter : sign.getParameters()) {
          if (ApiDocument.anyString(parameter)) {
            continue; // as ApiDocument does
          }
          try {
            checks.validateParameter(parameter, parameter.getName().equals("id") ? path.get("id") : null);
          } catch (ValidatorException e) {
            findings.parameter(found, parameter, e);
          }
        }
        if (!bodies.validJson("sign", body)) {
          checks.validateBody(sign.getRequestBody(), request);
        }
        if (!found.isEmpty()) {
          throw new IllegalStateException("the body is valid");
        }
      };
      Runnable formPost = () -> {
        Findings.Found found = new Findings.Found();
        JsonObject fields = Bodies.formFields(form, found);
        if (!(bodies.validForm("sign", fields) || bodies.form("sign").validate(fields).getValid()) || !found.isEmpty()) {
          throw new IllegalStateException("the form is valid");
        }
      };
      JsonObject bad = signer.copy().put("name", "n".repeat(101)).put("country", "ZZ").put("updates", "yes");
      Runnable invalid = () -> {
        ValidatableRequestImpl request = new ValidatableRequestImpl(Map.of(), Map.of(), path, Map.of(),
            new RequestParameterImpl(bad.toBuffer()), "application/json");
        Findings.Found found = new Findings.Found();
        try {
          checks.validateBody(sign.getRequestBody(), request);
        } catch (ValidatorException e) {
          findings.body(found, sign, "application/json", e);
        }
        if (found.isEmpty()) {
          throw new IllegalStateException("the body is invalid");
        }
      };
      System.out.printf("load average %s; %d rounds each (a third of them warm-up)%n",
          new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim(), rounds);
      Runnable parameters = () -> {
        for (Parameter parameter : sign.getParameters()) {
          checks.validateParameter(parameter, parameter.getName().equals("id") ? path.get("id") : null);
        }
      };
      Object decoded = io.vertx.core.json.Json.decodeValue(body);
      time("the path and header parameters, each checked", parameters, rounds);
      time("the body's schema alone (decoded), Vert.x", () -> signBody.validate(decoded), rounds);
      com.fasterxml.jackson.databind.JsonNode tree = BodySchemas.tree(body);
      time("the body's compiled schema alone (read)", () -> compiled.valid("sign", tree), rounds);
      time("the body read and checked, compiled schema", () -> compiled.valid("sign", body), rounds);
      time("the body decoded for the handler (Vert.x)", () -> Bodies.decode(body), rounds);
      time("valid JSON body, validateBody's own validator", perRequest, rounds);
      time("valid JSON body (parameters + body)", json, rounds);
      time("valid form post (fields + compiled form schema)", formPost, rounds);
      time("invalid JSON body, findings worded", invalid, rounds / 4);
      hop(vertx, rounds / 4);
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static void time(String what, Runnable step, int rounds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < rounds / 3; i++) {
      step.run();
    }
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      step.run();
    }
    System.out.printf("%-42s %7.2f us CPU, %7.2f us wall per request%n", what,
        (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / rounds, (System.nanoTime() - wall) / 1e3 / rounds);
  }

  /** From an event loop to a worker thread and back, one after the other: its latency, and the process's CPU. */
  private static void hop(Vertx vertx, int rounds) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int pass = 0; pass < 2; pass++) { // the first warms up
      Promise<Void> done = Promise.promise();
      long cpu = os.getProcessCpuTime();
      long wall = System.nanoTime();
      vertx.runOnContext(v -> hops(vertx, rounds, done));
      done.future().await(10, TimeUnit.MINUTES);
      if (pass == 1) {
        System.out.printf("%-42s %7.2f us CPU, %7.2f us wall per request%n", "hop to a worker and back (executeBlocking)",
            (os.getProcessCpuTime() - cpu) / 1e3 / rounds, (System.nanoTime() - wall) / 1e3 / rounds);
      }
    }
  }

  private static void hops(Vertx vertx, int left, Promise<Void> done) {
    if (left == 0) {
      done.complete();
      return;
    }
    Future<Object> hop = vertx.executeBlocking(() -> null, false);
    hop.onComplete(ar -> hops(vertx, left - 1, done));
  }
}
