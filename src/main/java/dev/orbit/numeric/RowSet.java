package dev.orbit.numeric;

/** A set of row indices with O(1) insertion and an insertion-ordered list; cleared in O(size). */
final class RowSet {
    private final boolean[] member;
    private int[] list;
    private int size;

    RowSet(int rows) {
        member = new boolean[rows];
        list = new int[Math.min(rows, 1024)];
    }

    void add(int row) {
        if (member[row]) return;
        member[row] = true;
        if (size == list.length) list = java.util.Arrays.copyOf(list, Math.min(member.length, 2 * size));
        list[size++] = row;
    }

    int size() {
        return size;
    }

    /** The members, sorted, and empties the set. */
    int[] drain() {
        int[] rows = java.util.Arrays.copyOf(list, size);
        java.util.Arrays.sort(rows);
        for (int r : rows) member[r] = false;
        size = 0;
        return rows;
    }
}
