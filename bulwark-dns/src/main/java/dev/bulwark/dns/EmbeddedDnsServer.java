package dev.bulwark.dns;

import dev.bulwark.core.Check;
import dev.bulwark.dns.internal.RequestHandler;
import dev.bulwark.dns.internal.ZoneSnapshot;
import dev.bulwark.dns.internal.ZoneStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small authoritative DNS server for one zone, with RFC 2136 dynamic update behind TSIG; the
 * default DNS of an embedded Bulwark deployment and the reference the BIND9 conformance suite is
 * checked against.
 *
 * <p>Design note: one thread receives UDP datagrams and hands them to a bounded worker pool; one
 * thread accepts TCP connections and serves each on a bounded connection pool. When a pool is full
 * the datagram is dropped or the connection closed, so overload costs retries, never memory. All
 * DNS logic sits in {@link RequestHandler}: queries read an immutable zone snapshot, updates are
 * serialized, fsynced to the data directory and only then acknowledged. {@link #close()} stops
 * every thread this server started.
 *
 * <p>Limits: {@link #MAX_WORKER_THREADS}, {@link #MAX_QUEUED_UDP_REQUESTS}, {@link
 * #MAX_TCP_CONNECTIONS}, {@link #TCP_IDLE_TIMEOUT_MILLIS}, and the message sizes in docs/dns.md.
 */
public final class EmbeddedDnsServer implements AutoCloseable {
  /** Threads answering UDP requests concurrently. */
  public static final int MAX_WORKER_THREADS = 8;

  /** UDP requests waiting for a worker; more are dropped (the client retries). */
  public static final int MAX_QUEUED_UDP_REQUESTS = 1024;

  /** Open TCP connections served at once; more are closed right after accept. */
  public static final int MAX_TCP_CONNECTIONS = 64;

  /** A TCP connection idle for this long is closed, so slow or stuck clients cannot hold slots. */
  public static final int TCP_IDLE_TIMEOUT_MILLIS = 10_000;

  /** How long {@link #close()} waits for worker threads to finish, in milliseconds. */
  public static final long CLOSE_TIMEOUT_MILLIS = 5_000;

  /** Attempts to find a port free for both UDP and TCP when the port option is 0. */
  private static final int EPHEMERAL_BIND_ATTEMPTS = 20;

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDnsServer.class);

  private final RequestHandler handler;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final ThreadPoolExecutor udpWorkers;
  private final ThreadPoolExecutor tcpWorkers;
  private final Set<Socket> openConnections = ConcurrentHashMap.newKeySet();
  /** Every thread this server created, so close() can prove each one has ended. */
  private final Set<Thread> startedThreads = ConcurrentHashMap.newKeySet();
  private final Thread udpReceiver;
  private final Thread tcpAcceptor;
  private final int port;
  private volatile boolean closed;

  /**
   * How to start a server.
   *
   * @param bindAddress the address to listen on (IPv4 or IPv6), e.g. 127.0.0.1 or ::1
   * @param port the UDP and TCP port, 0..65535; 0 picks a free one, see {@link #port()}
   * @param dataDirectory where the zone is saved after each update and loaded from on start; a
   *     saved zone there wins over {@code initialZone}
   * @param keys TSIG keys allowed to update the whole zone; at least one
   * @param initialZone the zone to serve when {@code dataDirectory} holds none yet
   */
  public record Options(
      InetAddress bindAddress, int port, Path dataDirectory, List<TsigKey> keys, InitialZone initialZone) {
    public Options {
      Check.notNull(bindAddress, "bind address");
      Check.notNull(dataDirectory, "data directory");
      Check.notNull(initialZone, "initial zone");
      Check.arg(port >= 0 && port <= 65_535, "port must be 0..65535 (0 = any free port), but was %d", port);
      keys = List.copyOf(Check.notNull(keys, "TSIG keys"));
      Check.arg(!keys.isEmpty(), "at least one TSIG key is needed, or no update could ever be accepted");
      Check.arg(
          keys.stream().map(k -> k.dnsName()).distinct().count() == keys.size(),
          "TSIG key names must be unique, but were %s",
          keys);
    }
  }

  private EmbeddedDnsServer(RequestHandler handler, DatagramSocket udp, ServerSocket tcp) {
    this.handler = handler;
    this.udp = udp;
    this.tcp = tcp;
    this.port = udp.getLocalPort();
    this.udpWorkers =
        new ThreadPoolExecutor(
            MAX_WORKER_THREADS, MAX_WORKER_THREADS, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_QUEUED_UDP_REQUESTS), threads("bulwark-dns-udp-worker"));
    this.udpWorkers.allowCoreThreadTimeOut(true);
    this.tcpWorkers =
        new ThreadPoolExecutor(
            0, MAX_TCP_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
            threads("bulwark-dns-tcp-conn"));
    this.udpReceiver = threads("bulwark-dns-udp-receiver").newThread(this::receiveUdp);
    this.tcpAcceptor = threads("bulwark-dns-tcp-acceptor").newThread(this::acceptTcp);
  }

  /**
   * Loads the zone (saved, else initial), binds UDP and TCP and starts serving. Throws {@link
   * UncheckedIOException} if the port is taken or the data directory is unusable or damaged.
   */
  public static EmbeddedDnsServer start(Options options) {
    try {
      ZoneStore store = new ZoneStore(options.dataDirectory());
      Optional<ZoneSnapshot> saved = store.load();
      InitialZone initial = options.initialZone();
      ZoneSnapshot zone;
      if (saved.isPresent()) {
        zone = saved.get();
        if (!zone.origin().equals(initial.origin())) {
          throw new IllegalArgumentException(
              "data directory " + options.dataDirectory() + " holds zone " + zone.origin()
                  + " but the options name zone " + initial.origin()
                  + "; point the server at the right directory or move the old one away");
        }
      } else {
        zone = ZoneSnapshot.of(initial.origin(), initial.records());
        store.save(zone);
      }
      RequestHandler handler = new RequestHandler(zone, options.keys(), store);
      EmbeddedDnsServer server = bind(handler, options.bindAddress(), options.port());
      server.udpReceiver.start();
      server.tcpAcceptor.start();
      LOG.info(
          "embedded DNS serving {} (serial {}, {} records, {} from {}) on {} udp+tcp with keys {}",
          zone.origin(), zone.serial(), zone.recordCount(), saved.isPresent() ? "loaded" : "initialised",
          options.dataDirectory(), server.address(), options.keys());
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded DNS server: " + e.getMessage(), e);
    }
  }

  private static EmbeddedDnsServer bind(RequestHandler handler, InetAddress address, int port)
      throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < (port == 0 ? EPHEMERAL_BIND_ATTEMPTS : 1); attempt++) {
      DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port));
      try {
        ServerSocket tcp = new ServerSocket();
        try {
          tcp.setReuseAddress(true);
          tcp.bind(new InetSocketAddress(address, udp.getLocalPort()), MAX_TCP_CONNECTIONS);
          return new EmbeddedDnsServer(handler, udp, tcp);
        } catch (IOException e) {
          tcp.close();
          throw e;
        }
      } catch (BindException e) {
        // With port 0 the UDP port we got may be taken for TCP; try another.
        udp.close();
        last = e;
      } catch (IOException | RuntimeException e) {
        udp.close();
        throw e;
      }
    }
    throw new BindException(
        "cannot bind UDP and TCP port " + port + " on " + address + ": " + (last == null ? "" : last.getMessage()));
  }

  /** The bound port (the same for UDP and TCP); useful after asking for port 0. */
  public int port() {
    return port;
  }

  /** The bound address and port. */
  public InetSocketAddress address() {
    return new InetSocketAddress(udp.getLocalAddress(), port());
  }

  /** The SOA serial currently served. */
  public long serial() {
    return handler.zone().serial();
  }

  /** The zone currently served, in zone-file syntax, for logs and debugging. */
  public String zoneText() {
    StringBuilder sb = new StringBuilder();
    handler.zone().records().forEach(r -> sb.append(r).append('\n'));
    return sb.toString();
  }

  private void receiveUdp() {
    byte[] buf = new byte[RequestHandler.MAX_TCP_MESSAGE_BYTES];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(packet);
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("UDP receive failed, continuing: {}", e.toString());
        }
        continue;
      }
      byte[] data = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
      InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
      try {
        udpWorkers.execute(() -> answerUdp(data, from));
      } catch (RejectedExecutionException e) {
        LOG.debug("UDP request from {} dropped: {} requests already queued", from, MAX_QUEUED_UDP_REQUESTS);
      }
    }
  }

  private void answerUdp(byte[] data, InetSocketAddress from) {
    Optional<byte[]> resp = handler.handle(data, data.length, false);
    if (resp.isPresent()) {
      try {
        udp.send(new DatagramPacket(resp.get(), resp.get().length, from));
      } catch (IOException e) {
        if (!closed) {
          LOG.debug("UDP send to {} failed: {}", from, e.toString());
        }
      }
    }
  }

  private void acceptTcp() {
    while (!closed) {
      Socket s;
      try {
        s = tcp.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("TCP accept failed, continuing: {}", e.toString());
        }
        continue;
      }
      openConnections.add(s);
      try {
        tcpWorkers.execute(() -> serveTcp(s));
      } catch (RejectedExecutionException e) {
        LOG.debug("TCP connection from {} closed: {} connections already open",
            s.getRemoteSocketAddress(), MAX_TCP_CONNECTIONS);
        closeQuietly(s);
      }
    }
  }

  /** Serves length-prefixed messages (RFC 1035 §4.2.2) until the client closes or idles out. */
  private void serveTcp(Socket s) {
    try (s) {
      s.setSoTimeout(TCP_IDLE_TIMEOUT_MILLIS);
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      byte[] buf = new byte[RequestHandler.MAX_TCP_MESSAGE_BYTES];
      while (!closed) {
        int len = in.readUnsignedShort();
        in.readFully(buf, 0, len);
        Optional<byte[]> resp = handler.handle(buf, len, true);
        if (resp.isEmpty()) {
          return; // Nothing sensible to say; closing tells the client at once.
        }
        out.writeShort(resp.get().length);
        out.write(resp.get());
        out.flush();
      }
    } catch (EOFException | SocketException e) {
      // The client closed, idled out, or we are closing: all normal ends of a connection.
    } catch (IOException e) {
      LOG.debug("TCP connection ended: {}", e.toString());
    } finally {
      openConnections.remove(s);
    }
  }

  /** Stops serving and every thread this server started; idempotent. Saved data stays on disk. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    udp.close();
    closeQuietly(tcp);
    openConnections.forEach(EmbeddedDnsServer::closeQuietly);
    udpWorkers.shutdownNow();
    tcpWorkers.shutdownNow();
    // A pool reports termination a moment before its last thread has really exited, so join
    // every thread we created rather than trusting awaitTermination alone.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_TIMEOUT_MILLIS);
    try {
      for (Thread t : startedThreads) {
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMillis > 0) {
          t.join(leftMillis);
        }
        if (t.isAlive()) {
          LOG.warn("thread {} still running {} ms after close", t.getName(), CLOSE_TIMEOUT_MILLIS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("embedded DNS on port {} closed", port);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Closing on shutdown; nothing useful to do with a failure.
    }
  }

  private java.util.concurrent.ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + port + "-" + n.incrementAndGet());
      t.setDaemon(true); // A server someone forgot to close must not keep the JVM alive.
      startedThreads.removeIf(old -> !old.isAlive()); // Keeps the set as small as the live pool.
      startedThreads.add(t);
      return t;
    };
  }
}
