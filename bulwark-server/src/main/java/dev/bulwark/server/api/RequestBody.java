package dev.bulwark.server.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.core.ledger.Codec;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A JSON object request body, read with a size bound and checked field by field. The order of
 * checks is the order of the status codes a client sees: 415 wrong content type, 413 too large,
 * 400 not a JSON object, 422 unknown, missing or bad fields.
 */
final class RequestBody {
  private final ObjectNode node;

  private RequestBody(ObjectNode node) {
    this.node = node;
  }

  /** Reads the body of {@code ctx}, which may hold only the {@code allowed} members. */
  static RequestBody read(Context ctx, ObjectMapper mapper, int maxBytes, List<String> allowed) {
    String type = ctx.header("Content-Type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      throw new ApiProblem(415, "unsupported-media-type", "The request body must be JSON",
          "send 'Content-Type: application/json', but the request had "
              + (type == null ? "no Content-Type" : "'" + abbreviate(type) + "'"));
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes, declared + " bytes");
    }
    byte[] bytes;
    try (InputStream in = ctx.req().getInputStream()) {
      bytes = in.readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw ApiProblem.badRequest("the request body could not be read: " + e.getMessage());
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(maxBytes, "more");
    }
    JsonNode parsed;
    try {
      parsed = mapper.readTree(bytes);
    } catch (JacksonException e) {
      throw ApiProblem.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiProblem.badRequest("the request body could not be read: " + e.getMessage());
    }
    if (!(parsed instanceof ObjectNode obj)) {
      throw ApiProblem.badRequest("the request body must be a JSON object, e.g. {\"reason\": \"...\"}");
    }
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw ApiProblem.invalid("unknown field '" + abbreviate(f) + "'; this request accepts " + allowed);
      }
    }
    return new RequestBody(obj);
  }

  private static ApiProblem tooLarge(int maxBytes, String actual) {
    return new ApiProblem(413, "body-too-large", "The request body is too large",
        "request bodies are limited to " + maxBytes + " bytes, but this one had " + actual);
  }

  /** The required {@code reason}: why a person acts, kept in the audit chain. */
  String reason() {
    String r = optionalText("reason").orElseThrow(() -> ApiProblem.invalid(
        "field 'reason' is required: say why, it goes into the audit chain"));
    if (r.isBlank()) {
      throw ApiProblem.invalid("field 'reason' must not be blank: say why, it goes into the audit chain");
    }
    if (r.length() > Codec.MAX_REASON_CHARS) {
      throw ApiProblem.invalid("field 'reason' must be at most " + Codec.MAX_REASON_CHARS + " characters, but had "
          + r.length());
    }
    return r;
  }

  /** A required, non-blank string member of at most 200 characters; anything else is a 422. */
  String requiredText(String name) {
    String v = optionalText(name).orElseThrow(() -> ApiProblem.invalid("field '" + name + "' is required"));
    if (v.isBlank() || v.length() > 200) {
      throw ApiProblem.invalid("field '" + name + "' must be 1..200 characters and not blank");
    }
    return v;
  }

  /** A string member, if present; a non-string value is a 422. */
  Optional<String> optionalText(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ApiProblem.invalid("field '" + name + "' must be a string, but was " + v.getNodeType().name()
          .toLowerCase(Locale.ROOT));
    }
    return Optional.of(v.textValue());
  }

  /** A positive integer member, if present; anything else is a 422. */
  OptionalLong optionalPositive(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return OptionalLong.empty();
    }
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < 1) {
      throw ApiProblem.invalid("field '" + name + "' must be a positive integer, but was " + abbreviate(v.toString()));
    }
    return OptionalLong.of(v.asLong());
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
