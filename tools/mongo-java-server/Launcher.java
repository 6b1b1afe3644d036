import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * Runs mongo-java-server on a chosen (or free) port for Rounds' embedded database.
 *
 * <pre>java -cp '.cache/mongo-java-server/jars/*' tools/mongo-java-server/Launcher.java &lt;port&gt; [h2-file]</pre>
 *
 * Port 0 picks a free port. Prints exactly one line, {@code READY <port>}, once clients can connect. The server lives
 * as long as its standard input stays open: the parent (src/shared/db/embedded.ts) holds the write end of that pipe,
 * and the kernel closes it however the parent dies, even on SIGKILL, so this process never outlives it. SIGTERM and
 * SIGINT also shut down cleanly. A clean shutdown closes the H2 store, so everything written survives a restart.
 */
public class Launcher {
    private static final long LOCK_WAIT_NANOS = 10_000_000_000L;
    private static final Object lock = new Object();
    private static MongoServer server;
    private static boolean stopped;

    public static void main(String[] args) {
        // slf4j-simple reads these when the first logger is created, inside MongoServer. stderr is for problems only:
        // a client already gets each failed command as an error reply, and clients hanging up is normal, so the
        // stack traces the wire handlers and the shutdown would print add nothing.
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire", "off");
        setDefault("org.slf4j.simpleLogger.log.de.bwaldvogel.mongo.MongoServer", "error");
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java -cp '<jars>/*' Launcher.java <port> [h2-file]");
            System.exit(2);
        }

        int port;
        try {
            port = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            System.err.println("port must be a number, got: " + args[0]);
            System.exit(2);
            return;
        }
        String h2File = args.length == 2 ? args[1] : null;

        // Registered before the server exists so a signal during startup still closes whatever was opened.
        Runtime.getRuntime().addShutdownHook(new Thread(Launcher::stop, "mongo-java-server-shutdown"));

        int boundPort;
        try {
            synchronized (lock) {
                MongoBackend backend = h2File == null ? new MemoryBackend() : openH2Backend(h2File);
                server = new MongoServer(backend);
                server.bind("127.0.0.1", port);
                boundPort = server.getLocalAddress().getPort();
            }
        } catch (RuntimeException e) {
            System.err.println("mongo-java-server failed to start:");
            e.printStackTrace();
            stop();
            System.exit(1);
            return;
        }

        PrintStream out = System.out;
        out.println("READY " + boundPort);
        out.flush();

        waitForEndOfInput(System.in);
        stop();
        System.exit(0);
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * Waits a little for the H2 file lock: when a dev server restarts, the previous JVM may still be closing the same
     * file. A lock held for longer means another Rounds is using this data directory.
     */
    private static H2Backend openH2Backend(String file) {
        long deadline = System.nanoTime() + LOCK_WAIT_NANOS;
        while (true) {
            try {
                return new H2Backend(file);
            } catch (RuntimeException e) {
                boolean locked = e.getMessage() != null && e.getMessage().contains("locked");
                if (!locked) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(file + " is locked by another process; is another Rounds using"
                            + " this data directory?", e);
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + file, e);
            }
        }
    }

    /** Blocks until the parent closes our stdin (or dies); whatever it writes is ignored. */
    private static void waitForEndOfInput(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) != -1) {
                // Keep reading: only end-of-input means "stop".
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, which is the same as end-of-input.
        }
    }

    /**
     * Idempotent and safe to call from both the main thread and the shutdown hook: the second caller waits until the
     * first has finished closing the H2 store, so the JVM never halts halfway through a flush.
     */
    private static void stop() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
            if (server != null) {
                try {
                    // shutdownNow drops client connections first, so it does not wait on clients that will never
                    // hang up; it still closes the backend (H2 commits and closes its file).
                    server.shutdownNow();
                } catch (RuntimeException e) {
                    System.err.println("mongo-java-server did not shut down cleanly: " + e);
                }
            }
        }
    }
}
