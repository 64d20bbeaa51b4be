package dev.bulwark.server.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's own errors (a malformed URI or header, a request line too long), raised before any route
 * runs, as RFC 9457 problems like every other error of the API, instead of Jetty's HTML page.
 * The detail never echoes the request, so nothing a client sent is reflected back.
 */
final class ProblemErrorHandler extends ErrorHandler {
  @Override
  protected void generateResponse(Request request, Response response, int code, @Nullable String message,
      @Nullable Throwable cause, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    response.write(true, ByteBuffer.wrap(body(code)), callback);
  }

  private static byte[] body(int status) {
    String detail = status == 400 ? "the request could not be parsed (check the URI's percent-encoding and the headers)"
        : status == 431 ? "the request headers are too large" : status == 414 ? "the request URI is too long"
        : "the server could not handle the request";
    return ("{\"type\":\"https://bulwark.dev/problems/http-" + status + "\",\"title\":\"HTTP " + status
        + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
