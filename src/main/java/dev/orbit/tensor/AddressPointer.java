package dev.orbit.tensor;

import org.bytedeco.javacpp.Pointer;

/** A JavaCPP pointer onto memory owned by a {@link java.lang.foreign.MemorySegment}; it never frees it. */
final class AddressPointer extends Pointer {
    AddressPointer(long address, long byteSize) {
        this.address = address;
        this.limit = byteSize;
        this.capacity = byteSize;
    }
}
