namespace QuantuneV2.Kernels;

internal static unsafe partial class SgemmMicroKernel
{
    /// <summary>
    /// 6 rows × 2 vectors: 12 accumulators, 2 B vectors and a broadcast fit the 16 registers of AVX2, SSE and
    /// scalar x64; the classic 6×16 AVX2 shape, which keeps 8 loads per 12 FMAs.
    /// </summary>
    internal readonly struct Narrow<TOps, TVec> : ISgemmMicroKernel
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
    {
        public static int Mr => 6;

        public static int Nr => 2 * TOps.Count;

        public static void Run(float* a, float* b, nint* rows, int kc, float* c, nint ldc, in TileEpilogue e)
        {
            int w = TOps.Count;
            TVec c00 = Start<TOps, TVec>(e, c, 0); TVec c01 = Start<TOps, TVec>(e, c + w, 0);
            TVec c10 = Start<TOps, TVec>(e, c + ldc, 1); TVec c11 = Start<TOps, TVec>(e, c + ldc + w, 1);
            TVec c20 = Start<TOps, TVec>(e, c + 2 * ldc, 2); TVec c21 = Start<TOps, TVec>(e, c + 2 * ldc + w, 2);
            TVec c30 = Start<TOps, TVec>(e, c + 3 * ldc, 3); TVec c31 = Start<TOps, TVec>(e, c + 3 * ldc + w, 3);
            TVec c40 = Start<TOps, TVec>(e, c + 4 * ldc, 4); TVec c41 = Start<TOps, TVec>(e, c + 4 * ldc + w, 4);
            TVec c50 = Start<TOps, TVec>(e, c + 5 * ldc, 5); TVec c51 = Start<TOps, TVec>(e, c + 5 * ldc + w, 5);
            for (int k = 0; k < kc; k++)
            {
                float* bk = b + rows[k];
                TVec b0 = TOps.Load(bk), b1 = TOps.Load(bk + w);
                TVec av;
                av = TOps.Broadcast(a[0]); c00 = TOps.MulAdd(av, b0, c00); c01 = TOps.MulAdd(av, b1, c01);
                av = TOps.Broadcast(a[1]); c10 = TOps.MulAdd(av, b0, c10); c11 = TOps.MulAdd(av, b1, c11);
                av = TOps.Broadcast(a[2]); c20 = TOps.MulAdd(av, b0, c20); c21 = TOps.MulAdd(av, b1, c21);
                av = TOps.Broadcast(a[3]); c30 = TOps.MulAdd(av, b0, c30); c31 = TOps.MulAdd(av, b1, c31);
                av = TOps.Broadcast(a[4]); c40 = TOps.MulAdd(av, b0, c40); c41 = TOps.MulAdd(av, b1, c41);
                av = TOps.Broadcast(a[5]); c50 = TOps.MulAdd(av, b0, c50); c51 = TOps.MulAdd(av, b1, c51);
                a += 6;
            }

            Finish<TOps, TVec>(e, c, c00); Finish<TOps, TVec>(e, c + w, c01);
            Finish<TOps, TVec>(e, c + ldc, c10); Finish<TOps, TVec>(e, c + ldc + w, c11);
            Finish<TOps, TVec>(e, c + 2 * ldc, c20); Finish<TOps, TVec>(e, c + 2 * ldc + w, c21);
            Finish<TOps, TVec>(e, c + 3 * ldc, c30); Finish<TOps, TVec>(e, c + 3 * ldc + w, c31);
            Finish<TOps, TVec>(e, c + 4 * ldc, c40); Finish<TOps, TVec>(e, c + 4 * ldc + w, c41);
            Finish<TOps, TVec>(e, c + 5 * ldc, c50); Finish<TOps, TVec>(e, c + 5 * ldc + w, c51);
        }
    }
}
