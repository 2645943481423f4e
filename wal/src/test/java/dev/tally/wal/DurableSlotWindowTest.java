/*
 * Copyright 2026 The Tally Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tally.wal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static dev.tally.wal.WalTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable slot window: the active segment's header is forced only once the frames forced since its last force
 * exceed {@link WalOptions#durableSlotWindow()} bytes. Goal: one msync per force in the common case, and at every
 * instant a device image whose durable slot is never ahead of the frames on it and never more than the window behind
 * the acknowledged durable position. Method: a forcer that copies each forced range into a device image (what a
 * power cut would leave, ignoring the kernel's own write-back, which can only make the slot newer) and checks the
 * slot the mapping holds at each force; seeded random batch sizes and payloads. Replay a seed with
 * {@code -Dtests.seed=<seed>}.
 */
@Timeout(60)
class DurableSlotWindowTest
{
    private static final int SEGMENT_LENGTH = 256 * 1024;

    @TempDir
    Path directory;

    @Test
    void shouldForceTheHeaderWithEveryForceWhenTheWindowIsZero() throws IOException
    {
        final DeviceImage device = new DeviceImage();
        try (WalWriter writer = WalWriter.open(options(directory, SEGMENT_LENGTH).segmentForcer(device)
            .durableSlotWindow(0), 0))
        {
            final SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < 50; i++)
            {
                WalTestSupport.append(writer, random, 100);
                writer.force();
                assertEquals(writer.durablePosition(), device.slot(), "slot on the device after force " + i);
            }
            assertEquals(50, device.frameForces);
            assertEquals(51, device.headerForces, "one per force, and one when the writer opened");
        }
    }

    @Test
    void shouldForceTheHeaderOncePerWindowOfFramesWithTheDefaultWindow() throws IOException
    {
        final DeviceImage device = new DeviceImage();
        final int window = WalOptions.DURABLE_SLOT_WINDOW_DEFAULT;
        final int forces = 2_000;
        try (WalWriter writer = WalWriter.open(options(directory, 1 << 20).segmentForcer(device), 0))
        {
            final SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < forces; i++)
            {
                WalTestSupport.append(writer, random, 100);
                writer.force();
            }
            final long framed = writer.durablePosition() - SegmentDescriptor.HEADER_LENGTH;
            assertEquals(forces, device.frameForces);
            final long expectedHeaderForces = 1 + framed / (window + 1);
            assertTrue(device.headerForces >= expectedHeaderForces && device.headerForces <= expectedHeaderForces + 1,
                "header forces: " + device.headerForces + ", frames forced: " + framed + " bytes");
            assertTrue(device.headerForces * 100L < forces, "the header force is the exception: " +
                device.headerForces);
        }
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {0, 4096, 65536})
    void shouldKeepTheDeviceSlotWithinTheWindowAndNeverAheadOfItsFramesWhenBatchesVary(final int window)
        throws IOException
    {
        seeds(8).forEach(seed -> checkWindow(window, seed));
    }

    @ParameterizedTest(name = "window {0}")
    @MethodSource("windows")
    void shouldPersistTheExactPositionWhenClosing(final int window) throws IOException
    {
        final DeviceImage device = new DeviceImage();
        final long durable;
        try (WalWriter writer = WalWriter.open(options(directory, SEGMENT_LENGTH).segmentForcer(device)
            .durableSlotWindow(window), 0))
        {
            final SplittableRandom random = new SplittableRandom(window);
            for (int i = 0; i < 30; i++)
            {
                WalTestSupport.append(writer, random, 60);
                writer.force();
            }
            durable = writer.durablePosition();
        }
        assertEquals(durable, device.slot());
    }

    static int[] windows()
    {
        return new int[] {0, 1000, WalOptions.DURABLE_SLOT_WINDOW_DEFAULT, Integer.MAX_VALUE};
    }

    private void checkWindow(final int window, final long seed)
    {
        final DeviceImage device = new DeviceImage();
        final Path dir = directory.resolve(window + "-" + Long.toHexString(seed));
        try (WalWriter writer = WalWriter.open(options(dir, SEGMENT_LENGTH).segmentForcer(device)
            .durableSlotWindow(window), 0))
        {
            final SplittableRandom random = new SplittableRandom(seed);
            for (int batch = 0; batch < 400; batch++)
            {
                final int records = 1 + random.nextInt(random.nextInt(8) == 0 ? 40 : 3);
                for (int i = 0; i < records; i++)
                {
                    WalTestSupport.append(writer, random, random.nextInt(300));
                }
                writer.force();
                final long durable = writer.durablePosition();
                final long slot = device.slot();
                final String context = "seed=0x" + Long.toHexString(seed) + ", batch=" + batch + ", durable=" +
                    durable + ", slot on device=" + slot;
                assertTrue(slot <= durable, context);
                assertTrue(durable - slot <= window, "slot lags more than the window: " + context);
            }
        }
        assertTrue(device.violations.isEmpty(), "seed=0x" + Long.toHexString(seed) + ": " + device.violations);
    }

    private static LongStream seeds(final int count)
    {
        return WalTestSupport.seeds(count);
    }

    /**
     * The device: per mapping, the bytes forced so far (the header as the segment's creation forced it, then every
     * range forced through this forcer) and how far frames reach; checks at every force that the slot the mapping
     * holds, which the kernel could write back at any moment, vouches only for frames already on the device.
     */
    private static final class DeviceImage implements SegmentForcer
    {
        private final Map<MappedByteBuffer, byte[]> images = new IdentityHashMap<>();
        private final Map<MappedByteBuffer, Integer> framesForcedTo = new IdentityHashMap<>();
        private final List<String> violations = new ArrayList<>();
        private MappedByteBuffer lastForced;
        private int frameForces;
        private int headerForces;

        @Override
        public void force(final MappedByteBuffer buffer, final int offset, final int length)
        {
            final ByteBuffer view = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            final byte[] image = images.computeIfAbsent(buffer, b ->
            {
                final byte[] created = new byte[b.capacity()];
                view.get(0, created, 0, SegmentDescriptor.HEADER_LENGTH);
                return created;
            });
            final long base = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN)
                .getLong(SegmentDescriptor.SEGMENT_BASE_POSITION_OFFSET);
            final int forcedTo = framesForcedTo.getOrDefault(buffer, SegmentDescriptor.HEADER_LENGTH);
            final long vouched = SegmentDescriptor.durablePosition(view);
            if (vouched > base + forcedTo)
            {
                violations.add("slot " + vouched + " ahead of the frames on the device, which end at " +
                    (base + forcedTo));
            }
            view.get(offset, image, offset, length);
            lastForced = buffer;
            if (offset == 0 && length == SegmentDescriptor.HEADER_LENGTH)
            {
                headerForces++;
            }
            else
            {
                frameForces++;
                framesForcedTo.put(buffer, Math.max(forcedTo, offset + length));
            }
        }

        /** The durable slot of the segment forced last, as the device holds it. */
        long slot()
        {
            return SegmentDescriptor.durablePosition(ByteBuffer.wrap(images.get(lastForced))
                .order(ByteOrder.LITTLE_ENDIAN));
        }
    }
}
