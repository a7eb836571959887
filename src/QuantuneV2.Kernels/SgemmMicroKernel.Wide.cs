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

        public static void Run(float* a, float* b, nint* rows, int kc, float* c, nint ldc, in TileEpilogue e)
        {
            int w = TOps.Count;
            TVec c00 = Start<TOps, TVec>(e, c, 0); TVec c01 = Start<TOps, TVec>(e, c + w, 0); TVec c02 = Start<TOps, TVec>(e, c + 2 * w, 0);
            TVec c10 = Start<TOps, TVec>(e, c + ldc, 1); TVec c11 = Start<TOps, TVec>(e, c + ldc + w, 1); TVec c12 = Start<TOps, TVec>(e, c + ldc + 2 * w, 1);
            TVec c20 = Start<TOps, TVec>(e, c + 2 * ldc, 2); TVec c21 = Start<TOps, TVec>(e, c + 2 * ldc + w, 2); TVec c22 = Start<TOps, TVec>(e, c + 2 * ldc + 2 * w, 2);
            TVec c30 = Start<TOps, TVec>(e, c + 3 * ldc, 3); TVec c31 = Start<TOps, TVec>(e, c + 3 * ldc + w, 3); TVec c32 = Start<TOps, TVec>(e, c + 3 * ldc + 2 * w, 3);
            TVec c40 = Start<TOps, TVec>(e, c + 4 * ldc, 4); TVec c41 = Start<TOps, TVec>(e, c + 4 * ldc + w, 4); TVec c42 = Start<TOps, TVec>(e, c + 4 * ldc + 2 * w, 4);
            TVec c50 = Start<TOps, TVec>(e, c + 5 * ldc, 5); TVec c51 = Start<TOps, TVec>(e, c + 5 * ldc + w, 5); TVec c52 = Start<TOps, TVec>(e, c + 5 * ldc + 2 * w, 5);
            TVec c60 = Start<TOps, TVec>(e, c + 6 * ldc, 6); TVec c61 = Start<TOps, TVec>(e, c + 6 * ldc + w, 6); TVec c62 = Start<TOps, TVec>(e, c + 6 * ldc + 2 * w, 6);
            TVec c70 = Start<TOps, TVec>(e, c + 7 * ldc, 7); TVec c71 = Start<TOps, TVec>(e, c + 7 * ldc + w, 7); TVec c72 = Start<TOps, TVec>(e, c + 7 * ldc + 2 * w, 7);
            for (int k = 0; k < kc; k++)
            {
                float* bk = b + rows[k];
                TVec b0 = TOps.Load(bk), b1 = TOps.Load(bk + w), b2 = TOps.Load(bk + 2 * w);
                TVec av;
                av = TOps.Broadcast(a[0]); c00 = TOps.MulAdd(av, b0, c00); c01 = TOps.MulAdd(av, b1, c01); c02 = TOps.MulAdd(av, b2, c02);
                av = TOps.Broadcast(a[1]); c10 = TOps.MulAdd(av, b0, c10); c11 = TOps.MulAdd(av, b1, c11); c12 = TOps.MulAdd(av, b2, c12);
                av = TOps.Broadcast(a[2]); c20 = TOps.MulAdd(av, b0, c20); c21 = TOps.MulAdd(av, b1, c21); c22 = TOps.MulAdd(av, b2, c22);
                av = TOps.Broadcast(a[3]); c30 = TOps.MulAdd(av, b0, c30); c31 = TOps.MulAdd(av, b1, c31); c32 = TOps.MulAdd(av, b2, c32);
                av = TOps.Broadcast(a[4]); c40 = TOps.MulAdd(av, b0, c40); c41 = TOps.MulAdd(av, b1, c41); c42 = TOps.MulAdd(av, b2, c42);
                av = TOps.Broadcast(a[5]); c50 = TOps.MulAdd(av, b0, c50); c51 = TOps.MulAdd(av, b1, c51); c52 = TOps.MulAdd(av, b2, c52);
                av = TOps.Broadcast(a[6]); c60 = TOps.MulAdd(av, b0, c60); c61 = TOps.MulAdd(av, b1, c61); c62 = TOps.MulAdd(av, b2, c62);
                av = TOps.Broadcast(a[7]); c70 = TOps.MulAdd(av, b0, c70); c71 = TOps.MulAdd(av, b1, c71); c72 = TOps.MulAdd(av, b2, c72);
                a += 8;
            }

            Finish<TOps, TVec>(e, c, c00); Finish<TOps, TVec>(e, c + w, c01); Finish<TOps, TVec>(e, c + 2 * w, c02);
            Finish<TOps, TVec>(e, c + ldc, c10); Finish<TOps, TVec>(e, c + ldc + w, c11); Finish<TOps, TVec>(e, c + ldc + 2 * w, c12);
            Finish<TOps, TVec>(e, c + 2 * ldc, c20); Finish<TOps, TVec>(e, c + 2 * ldc + w, c21); Finish<TOps, TVec>(e, c + 2 * ldc + 2 * w, c22);
            Finish<TOps, TVec>(e, c + 3 * ldc, c30); Finish<TOps, TVec>(e, c + 3 * ldc + w, c31); Finish<TOps, TVec>(e, c + 3 * ldc + 2 * w, c32);
            Finish<TOps, TVec>(e, c + 4 * ldc, c40); Finish<TOps, TVec>(e, c + 4 * ldc + w, c41); Finish<TOps, TVec>(e, c + 4 * ldc + 2 * w, c42);
            Finish<TOps, TVec>(e, c + 5 * ldc, c50); Finish<TOps, TVec>(e, c + 5 * ldc + w, c51); Finish<TOps, TVec>(e, c + 5 * ldc + 2 * w, c52);
            Finish<TOps, TVec>(e, c + 6 * ldc, c60); Finish<TOps, TVec>(e, c + 6 * ldc + w, c61); Finish<TOps, TVec>(e, c + 6 * ldc + 2 * w, c62);
            Finish<TOps, TVec>(e, c + 7 * ldc, c70); Finish<TOps, TVec>(e, c + 7 * ldc + w, c71); Finish<TOps, TVec>(e, c + 7 * ldc + 2 * w, c72);
        }
    }
}
