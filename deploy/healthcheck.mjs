#!/usr/bin/env node
/**
 * The container's health check: GET /readyz on this process's operator port
 * (METRICS_PORT, default 9464). Exit 0 when it answers 200, 1 otherwise
 * (not ready, shutting down, no answer within the timeout). Plain JS with no
 * imports beyond Node, so it starts fast and needs no tsx.
 */
import http from "node:http";

const port = Number(process.env.METRICS_PORT || 9464);
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 3000);

function fail(message) {
  console.error(`not ready: ${message}`);
  process.exit(1);
}

if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`METRICS_PORT=${process.env.METRICS_PORT} is not a port`);

const req = http.get({ host: "127.0.0.1", port, path: "/readyz", timeout: timeoutMs }, (res) => {
  let body = "";
  res.setEncoding("utf8");
  res.on("data", (chunk) => (body += chunk));
  res.on("end", () => {
    if (res.statusCode === 200) {
      console.log(body.trim());
      process.exit(0);
    }
    fail(`/readyz answered ${res.statusCode} ${body.trim()}`);
  });
});
req.on("timeout", () => req.destroy(new Error(`no answer from /readyz on port ${port} within ${timeoutMs} ms`)));
req.on("error", (err) => fail(err.message));
