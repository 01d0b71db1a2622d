package org.convene.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.convene.pdf.Edition;
import org.convene.pdf.ManifestoText;
import org.convene.pdf.PaperSize;
import org.convene.pdf.PdfRenderer;
import org.convene.pdf.PdfRequest;
import org.convene.pdf.Samples;

/**
 * The PDF benchmark of issue 4: a 20-page manifesto in several scripts with a 100,000-signer
 * appendix, the signers generated and streamed. Prints the wall and CPU time of each run, the
 * median, and the heap: the peak of the heap pools over the runs and the heap in use after a GC.
 * Run it with -Xmx256m to show the bound; docs/BENCHMARKS.md has the command.
 */
public final class PdfBench {
    public static void main(String[] args) throws Exception {
        int signers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        PdfRequest request = request(signers);
        PdfRenderer renderer = new PdfRenderer();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        java.io.ByteArrayOutputStream first = new java.io.ByteArrayOutputStream();
        renderer.render(request, first); // warm-up: class loading, JIT, font parsing
        int totalPages;
        try (PDDocument doc = Loader.loadPDF(first.toByteArray())) {
            totalPages = doc.getNumberOfPages();
        }
        System.out.printf("warm-up: %,d bytes, %d pages%n", first.size(), totalPages);
        first = null;

        LiveHeap live = LiveHeap.watch();
        resetPeaks();
        long[] wall = new long[runs];
        long[] cpu = new long[runs];
        long bytes = 0;
        for (int i = 0; i < runs; i++) {
            CountingStream out = new CountingStream();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            renderer.render(request, out);
            wall[i] = System.nanoTime() - t0;
            cpu[i] = threads.getCurrentThreadCpuTime() - cpu0;
            bytes = out.count;
            System.out.printf("run %d: %,d ms wall, %,d ms cpu, %,d bytes%n", i + 1, wall[i] / 1_000_000,
                    cpu[i] / 1_000_000, bytes);
        }
        long peak = peakHeap();
        long maxLive = live.max();
        System.gc();
        long afterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("median: %,d ms wall, %,d ms cpu; %d pages of text, %d in all; file %,d bytes%n",
                median(wall) / 1_000_000, median(cpu) / 1_000_000, pages(request), totalPages, bytes);
        System.out.printf("heap: limit %,d MB; at most %,d MB live after any GC during the runs; pool peaks sum to"
                + " %,d MB; %,d MB in use after the final GC%n", Runtime.getRuntime().maxMemory() >> 20, maxLive >> 20,
                peak >> 20, afterGc >> 20);
    }

    /** About 20 print pages of text in Latin, Arabic, Devanagari and Chinese, with the appendix. */
    static PdfRequest request(int signers) {
        StringBuilder text = new StringBuilder("# The Migrant Assembly's manifesto\n\n");
        String[] bodies = {Samples.LATIN.source(), Samples.ARABIC.source(), Samples.CYRILLIC.source(),
            Samples.DEVANAGARI.source(), Samples.CHINESE.source(), Samples.GREEK.source(), Samples.PERSIAN.source()};
        for (int section = 1; section <= 22; section++) {
            text.append("## Section ").append(section).append("\n\n");
            for (String body : bodies) {
                // Drop each sample's own title; keep its paragraphs and lists.
                body.lines().filter(l -> !l.startsWith("# ")).forEach(l -> text.append(l).append('\n'));
                text.append('\n');
            }
            text.append("We hold that ").append("the right to stay, to work and to vote where one lives ".repeat(6))
                    .append("is owed to everyone who lives here.\n\n");
        }
        String source = text.toString();
        return PdfRequest.of("The Migrant Assembly's manifesto", "en", ManifestoText.parse(source),
                Samples.version(source), Edition.PRINT, PaperSize.A4)
                .withSignUrl("https://convene.example.org/m/7f3a9c/sign")
                .withSignatures(Samples.signers(signers, 10));
    }

    private static int pages(PdfRequest request) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new PdfRenderer().render(new PdfRequest(request.title(), request.language(), request.text(), null, null,
                request.version(), request.credits(), request.signUrl(), request.edition(), request.paper(), null, null),
                out);
        try (PDDocument doc = Loader.loadPDF(out.toByteArray())) {
            return doc.getNumberOfPages();
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks: an upper bound of the heap ever in use at once. */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The largest heap occupancy seen right after a collection: what rendering really keeps alive. */
    private static final class LiveHeap implements NotificationListener {
        private final AtomicLong max = new AtomicLong();

        static LiveHeap watch() {
            LiveHeap listener = new LiveHeap();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
            }
            return listener;
        }

        @Override
        public void handleNotification(Notification notification, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo();
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage after = info.getMemoryUsageAfterGc().get(pool.getName());
                if (pool.getType() == MemoryType.HEAP && after != null) {
                    used += after.getUsed();
                }
            }
            max.accumulateAndGet(used, Math::max);
        }

        long max() {
            return max.get();
        }
    }

    /** Counts the bytes: the benchmark measures rendering, not a disk. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private PdfBench() {}

}
