package dev.bulwark.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A demo load balancer: an HTTP server whose {@code /health} answers 200 while it runs. */
public final class DemoBackend {
  private DemoBackend() {}

  /** Starts one on {@code ip:port}; stop it with {@code stop(0)} to make its health checks fail. */
  public static HttpServer start(String ip, int port) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(ip, port), 16);
    s.createContext("/health", ex -> {
      byte[] ok = "ok\n".getBytes(StandardCharsets.US_ASCII);
      ex.sendResponseHeaders(200, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    s.start();
    return s;
  }
}
