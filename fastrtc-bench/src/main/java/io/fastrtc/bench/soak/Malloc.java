package io.fastrtc.bench.soak;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * glibc's own view of the native heap, through {@code mallinfo2()} (glibc 2.33+). RSS alone cannot
 * tell a leak from memory the allocator keeps for reuse; "in use" can.
 */
final class Malloc {

    /** Bytes handed out and not freed, and bytes the allocator holds from the OS (both over all arenas). */
    record Usage(long inUseBytes, long heldBytes) {
    }

    private static final LibC LIBC = Native.load("c", LibC.class);

    private Malloc() {
    }

    static Usage usage() {
        MallInfo2 info = LIBC.mallinfo2();
        // uordblks: in-use chunks of the arenas; hblkhd: blocks served by mmap (always in use).
        // arena: bytes the arenas took from the OS.
        return new Usage(info.uordblks + info.hblkhd, info.arena + info.hblkhd);
    }

    static String glibcVersion() {
        return LIBC.gnu_get_libc_version();
    }

    interface LibC extends Library {
        MallInfo2.ByValue mallinfo2();

        String gnu_get_libc_version();
    }

    /** {@code struct mallinfo2}: ten {@code size_t} fields (64-bit on the platforms we run). */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;

        public static class ByValue extends MallInfo2 implements Structure.ByValue {
        }
    }
}
