namespace QuantuneV2.Kernels;

internal static unsafe partial class SgemmMicroKernel
{
    /// <summary>
    /// 8 rows × 3 vectors: 24 accumulators, 3 B vectors and a broadcast fill 28 of the 32 vector registers of
    /// AVX-512 and NEON. Per depth step 11 loads feed 24 FMAs, so the FMA pipes, not the load ports, set the pace.
    /// </summary>
    internal readonly struct Wide<TOps, TVec> : ISgemmMicroKernel
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        public static int Mr => 8;

        public static int Nr => 3 * TOps.Count;

        public static int Lanes => TOps.Count;

        public static void Run(float* a, float* b, nint* rows, int kc, float* c, nint ldc, int vectors, in TileEpilogue e)
        {
            // A last panel of one or two vectors runs a narrower loop instead of computing zeros.
            switch (vectors)
            {
                case 3:
                    Tile<TOps, TVec, Eight, Three>(a, b, rows, kc, c, ldc, e);
                    break;
                case 2:
                    Tile<TOps, TVec, Eight, Two>(a, b, rows, kc, c, ldc, e);
                    break;
                default:
                    Tile<TOps, TVec, Eight, One>(a, b, rows, kc, c, ldc, e);
                    break;
            }
        }
    }

    /// <summary>
    /// 6 rows × 2 vectors: 12 accumulators, 2 B vectors and a broadcast fit the 16 registers of AVX2, SSE and
    /// scalar x64: the classic 6×16 AVX2 shape, 8 loads per 12 FMAs.
    /// </summary>
    internal readonly struct Narrow<TOps, TVec> : ISgemmMicroKernel
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        public static int Mr => 6;

        public static int Nr => 2 * TOps.Count;

        public static int Lanes => TOps.Count;

        public static void Run(float* a, float* b, nint* rows, int kc, float* c, nint ldc, int vectors, in TileEpilogue e)
        {
            if (vectors == 2)
                Tile<TOps, TVec, Six, Two>(a, b, rows, kc, c, ldc, e);
            else
                Tile<TOps, TVec, Six, One>(a, b, rows, kc, c, ldc, e);
        }
    }
}
