package dev.warden.incidents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.Rows;
import dev.warden.TestClock;
import dev.warden.WardenApplication;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent webhooks for one group, on one instance and on two instances sharing one
 * database, yield one incident: the database's constraint decides, not a JVM lock.
 */
@IntegrationTest
class ConcurrentWebhooksIntegrationTests {

	private static final int WEBHOOKS = 16;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	TestClock clock;

	ConfigurableApplicationContext secondInstance;

	@AfterEach
	void stopSecondInstance() {
		if (this.secondInstance != null) {
			this.secondInstance.close();
		}
	}

	@Test
	void concurrentWebhooksForOneGroupOnOneInstanceYieldOneIncident() throws Exception {
		WardenClient warden = new WardenClient(this.port);

		assertOneIncident(fireConcurrently(List.of(warden)));
	}

	@Test
	void concurrentWebhooksForOneGroupOnTwoInstancesYieldOneIncident() throws Exception {
		HikariDataSource shared = (HikariDataSource) this.dataSource;
		this.secondInstance = new SpringApplicationBuilder(WardenApplication.class)
			.properties("server.port=0", "spring.datasource.url=" + shared.getJdbcUrl(),
					"spring.datasource.username=" + shared.getUsername(),
					"spring.datasource.password=" + shared.getPassword(),
					"warden.storage.directory=target/test-data/second-instance",
					"warden.alertmanager.bearer-token=" + IntegrationTest.WEBHOOK_TOKEN,
					"warden.api.token=" + IntegrationTest.API_TOKEN,
					// Its clock is the system's: keep its jobs away from this test's
					// data.
					"db-scheduler.enabled=false", "warden.incidents.stale-after=0")
			.run();
		int secondPort = ((WebServerApplicationContext) this.secondInstance).getWebServer().getPort();
		assertThat(secondPort).isNotEqualTo(this.port);

		assertOneIncident(fireConcurrently(List.of(new WardenClient(this.port), new WardenClient(secondPort))));
	}

	private Payloads.Group fireConcurrently(List<WardenClient> instances) throws Exception {
		Payloads.Group group = Payloads.group();
		Instant startsAt = this.clock.instant();
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Response>> responses = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(WEBHOOKS)) {
			for (int i = 0; i < WEBHOOKS; i++) {
				WardenClient instance = instances.get(i % instances.size());
				var payload = group.next().firing("fp-" + i, startsAt).json();
				responses.add(threads.submit(() -> {
					start.await();
					return instance.webhook(payload);
				}));
			}
			start.countDown();
			for (Future<Response> response : responses) {
				assertThat(response.get().status()).as(response.get().toString()).isEqualTo(200);
			}
		}
		assertThat(responses.stream().map(this::outcome).filter("opened"::equals)).hasSize(1);
		return group;
	}

	private void assertOneIncident(Payloads.Group group) {
		assertThat(Rows.incidentsOfGroup(this.jdbc, group.key())).isEqualTo(1);
		assertThat(Rows.alertsOfGroup(this.jdbc, group.key())).isEqualTo(WEBHOOKS);
		long fired = this.jdbc.sql("""
				select count(*) from timeline_event e join incident i on i.id = e.incident_id
				where i.group_key = ? and e.type = 'alert.fired'""").param(group.key()).query(Long.class).single();
		assertThat(fired).isEqualTo(WEBHOOKS);
	}

	private String outcome(Future<Response> response) {
		try {
			return response.get().json().get("outcome").asString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
