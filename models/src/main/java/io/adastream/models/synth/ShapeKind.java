package io.adastream.models.synth;

/** The object shapes, each a point-in-shape test in the object's own rotated frame (u, v) for size r. */
enum ShapeKind {
    DISC(SceneClasses.DISC) {
        @Override
        boolean contains(float u, float v, float r) {
            return u * u + v * v <= r * r;
        }
    },
    SQUARE(SceneClasses.SQUARE) {
        @Override
        boolean contains(float u, float v, float r) {
            float half = 0.8f * r;
            return Math.abs(u) <= half && Math.abs(v) <= half;
        }
    },
    /** Equilateral triangle with circumradius r (inradius r/2). */
    TRIANGLE(SceneClasses.TRIANGLE) {
        @Override
        boolean contains(float u, float v, float r) {
            float in = 0.5f * r;
            return v <= in && -SIN60 * u - 0.5f * v <= in && SIN60 * u - 0.5f * v <= in;
        }
    },
    RING(SceneClasses.RING) {
        @Override
        boolean contains(float u, float v, float r) {
            float d2 = u * u + v * v;
            float inner = 0.5f * r;
            return d2 <= r * r && d2 >= inner * inner;
        }
    },
    BAR(SceneClasses.BAR) {
        @Override
        boolean contains(float u, float v, float r) {
            return Math.abs(u) <= r && Math.abs(v) <= 0.3f * r;
        }
    };

    private static final float SIN60 = (float) Math.sqrt(0.75);
    private static final ShapeKind[] BY_CLASS = new ShapeKind[SceneClasses.FOREGROUND_COUNT + 1];

    static {
        for (ShapeKind kind : values()) {
            BY_CLASS[kind.classId] = kind;
        }
    }

    final int classId;

    ShapeKind(int classId) {
        this.classId = classId;
    }

    abstract boolean contains(float u, float v, float r);

    static ShapeKind ofClass(int classId) {
        return BY_CLASS[classId];
    }
}
