package dev.warden.notifications.slack;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSink;

/**
 * Tells a failure before a request was sent in full from one after it: only the second
 * can have reached Slack and been carried out. The second is rethrown as
 * {@link Unanswered}. Answers are read here in full, so that a failure while reading one
 * is also caught.
 */
final class SendTracker implements Interceptor {

	@Override
	public Response intercept(Chain chain) throws IOException {
		Request request = chain.request();
		TrackedBody body = (request.body() != null) ? new TrackedBody(request.body()) : null;
		Request tracked = (body != null) ? request.newBuilder().method(request.method(), body).build() : request;
		try {
			return readFully(chain.proceed(tracked));
		}
		catch (IOException ex) {
			if (body != null && body.sent) {
				throw new Unanswered(ex);
			}
			throw ex;
		}
	}

	private static Response readFully(Response response) throws IOException {
		ResponseBody body = response.body();
		if (body == null) {
			return response;
		}
		MediaType contentType = body.contentType();
		byte[] content = body.bytes();
		return response.newBuilder().body(ResponseBody.create(content, contentType)).build();
	}

	/** The request was sent in full, and then the exchange failed. */
	static final class Unanswered extends IOException {

		Unanswered(IOException cause) {
			super("no answer after the request was sent: " + cause.getMessage(), cause);
		}

		@Override
		public synchronized IOException getCause() {
			return (IOException) super.getCause();
		}

	}

	/** Notes when the whole body has been handed to the connection. */
	private static final class TrackedBody extends RequestBody {

		private final RequestBody delegate;

		private volatile boolean sent;

		TrackedBody(RequestBody delegate) {
			this.delegate = delegate;
		}

		@Override
		public MediaType contentType() {
			return this.delegate.contentType();
		}

		@Override
		public long contentLength() throws IOException {
			return this.delegate.contentLength();
		}

		@Override
		public boolean isOneShot() {
			// Never to be sent twice: a second copy could post a second message.
			return true;
		}

		@Override
		public void writeTo(BufferedSink sink) throws IOException {
			this.delegate.writeTo(sink);
			this.sent = true;
		}

	}

}
