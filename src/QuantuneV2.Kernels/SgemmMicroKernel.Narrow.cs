namespace QuantuneV2.Kernels;

internal static unsafe partial class SgemmMicroKernel
{
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
            switch (vectors)
            {
                case 2:
                    Tile<Two>(a, b, rows, kc, c, ldc, e);
                    break;
                default:
                    Tile<One>(a, b, rows, kc, c, ldc, e);
                    break;
            }
        }

        // Columns past TWidth are dead code the JIT drops, so each width compiles to its own tight loop.
        private static void Tile<TWidth>(float* a, float* b, nint* rows, int kc, float* c, nint ldc, in TileEpilogue e)
            where TWidth : struct, IVectorCount
        {
            int w = TOps.Count;
            TVec c00 = Start<TOps, TVec>(e, c, 0);
            TVec c10 = Start<TOps, TVec>(e, c + ldc, 1);
            TVec c20 = Start<TOps, TVec>(e, c + 2 * ldc, 2);
            TVec c30 = Start<TOps, TVec>(e, c + 3 * ldc, 3);
            TVec c40 = Start<TOps, TVec>(e, c + 4 * ldc, 4);
            TVec c50 = Start<TOps, TVec>(e, c + 5 * ldc, 5);
            TVec c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default;
            if (TWidth.Value > 1)
            {
                c01 = Start<TOps, TVec>(e, c + w, 0);
                c11 = Start<TOps, TVec>(e, c + ldc + w, 1);
                c21 = Start<TOps, TVec>(e, c + 2 * ldc + w, 2);
                c31 = Start<TOps, TVec>(e, c + 3 * ldc + w, 3);
                c41 = Start<TOps, TVec>(e, c + 4 * ldc + w, 4);
                c51 = Start<TOps, TVec>(e, c + 5 * ldc + w, 5);
            }

            for (int k = 0; k < kc; k++)
            {
                float* bk = b + rows[k];
                TVec b0 = TOps.Load(bk);
                TVec b1 = TWidth.Value > 1 ? TOps.Load(bk + w) : default;
                TVec a0 = TOps.Broadcast(a[0]);
                c00 = TOps.MulAdd(a0, b0, c00);
                if (TWidth.Value > 1) c01 = TOps.MulAdd(a0, b1, c01);
                TVec a1 = TOps.Broadcast(a[1]);
                c10 = TOps.MulAdd(a1, b0, c10);
                if (TWidth.Value > 1) c11 = TOps.MulAdd(a1, b1, c11);
                TVec a2 = TOps.Broadcast(a[2]);
                c20 = TOps.MulAdd(a2, b0, c20);
                if (TWidth.Value > 1) c21 = TOps.MulAdd(a2, b1, c21);
                TVec a3 = TOps.Broadcast(a[3]);
                c30 = TOps.MulAdd(a3, b0, c30);
                if (TWidth.Value > 1) c31 = TOps.MulAdd(a3, b1, c31);
                TVec a4 = TOps.Broadcast(a[4]);
                c40 = TOps.MulAdd(a4, b0, c40);
                if (TWidth.Value > 1) c41 = TOps.MulAdd(a4, b1, c41);
                TVec a5 = TOps.Broadcast(a[5]);
                c50 = TOps.MulAdd(a5, b0, c50);
                if (TWidth.Value > 1) c51 = TOps.MulAdd(a5, b1, c51);
                a += 6;
            }

            Finish<TOps, TVec>(e, c, c00);
            Finish<TOps, TVec>(e, c + ldc, c10);
            Finish<TOps, TVec>(e, c + 2 * ldc, c20);
            Finish<TOps, TVec>(e, c + 3 * ldc, c30);
            Finish<TOps, TVec>(e, c + 4 * ldc, c40);
            Finish<TOps, TVec>(e, c + 5 * ldc, c50);
            if (TWidth.Value > 1)
            {
                Finish<TOps, TVec>(e, c + w, c01);
                Finish<TOps, TVec>(e, c + ldc + w, c11);
                Finish<TOps, TVec>(e, c + 2 * ldc + w, c21);
                Finish<TOps, TVec>(e, c + 3 * ldc + w, c31);
                Finish<TOps, TVec>(e, c + 4 * ldc + w, c41);
                Finish<TOps, TVec>(e, c + 5 * ldc + w, c51);
            }
        }
    }
}
