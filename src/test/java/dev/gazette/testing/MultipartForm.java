package dev.gazette.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.restassured.specification.RequestSpecification;

/**
 * A multipart/form-data body as a browser sends it: whole, with its Content-Length (REST Assured's own multipart
 * requests are chunked, which the server refuses on forms with 411 Length Required).
 */
public final class MultipartForm {

    private final String boundary = "----gazette-test-" + UUID.randomUUID();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public MultipartForm field(String name, String value) {
        part("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n", value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public MultipartForm file(String name, String fileName, String contentType, byte[] content) {
        part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\nContent-Type: "
                + contentType + "\r\n\r\n", content);
        return this;
    }

    private void part(String headers, byte[] content) {
        body.writeBytes(("--" + boundary + "\r\n" + headers).getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code request} carrying this form as its body. */
    public RequestSpecification on(RequestSpecification request) {
        byte[] bytes = body.toByteArray();
        byte[] end = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] whole = new byte[bytes.length + end.length];
        System.arraycopy(bytes, 0, whole, 0, bytes.length);
        System.arraycopy(end, 0, whole, bytes.length, end.length);
        return request.contentType("multipart/form-data; boundary=" + boundary).body(whole);
    }
}
