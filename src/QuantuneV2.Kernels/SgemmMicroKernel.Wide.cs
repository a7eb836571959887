namespace QuantuneV2.Kernels;

internal static unsafe partial class SgemmMicroKernel
{
    /// <summary>
    /// 8 rows × 3 vectors: 24 accumulators, 3 B vectors and a broadcast fill 28 of the 32 vector registers of
    /// AVX-512 and NEON. Per depth step 11 loads feed 24 FMAs, so the FMA pipes, not the load ports, set the pace.
    /// A last panel of one or two vectors runs a narrower copy of the loop instead of computing zeros.
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
            switch (vectors)
            {
                case 3:
                    Tile<Three>(a, b, rows, kc, c, ldc, e);
                    break;
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
            TVec c60 = Start<TOps, TVec>(e, c + 6 * ldc, 6);
            TVec c70 = Start<TOps, TVec>(e, c + 7 * ldc, 7);
            TVec c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default, c61 = default, c71 = default;
            TVec c02 = default, c12 = default, c22 = default, c32 = default, c42 = default, c52 = default, c62 = default, c72 = default;
            if (TWidth.Value > 1)
            {
                c01 = Start<TOps, TVec>(e, c + w, 0);
                c11 = Start<TOps, TVec>(e, c + ldc + w, 1);
                c21 = Start<TOps, TVec>(e, c + 2 * ldc + w, 2);
                c31 = Start<TOps, TVec>(e, c + 3 * ldc + w, 3);
                c41 = Start<TOps, TVec>(e, c + 4 * ldc + w, 4);
                c51 = Start<TOps, TVec>(e, c + 5 * ldc + w, 5);
                c61 = Start<TOps, TVec>(e, c + 6 * ldc + w, 6);
                c71 = Start<TOps, TVec>(e, c + 7 * ldc + w, 7);
            }
            if (TWidth.Value > 2)
            {
                c02 = Start<TOps, TVec>(e, c + 2 * w, 0);
                c12 = Start<TOps, TVec>(e, c + ldc + 2 * w, 1);
                c22 = Start<TOps, TVec>(e, c + 2 * ldc + 2 * w, 2);
                c32 = Start<TOps, TVec>(e, c + 3 * ldc + 2 * w, 3);
                c42 = Start<TOps, TVec>(e, c + 4 * ldc + 2 * w, 4);
                c52 = Start<TOps, TVec>(e, c + 5 * ldc + 2 * w, 5);
                c62 = Start<TOps, TVec>(e, c + 6 * ldc + 2 * w, 6);
                c72 = Start<TOps, TVec>(e, c + 7 * ldc + 2 * w, 7);
            }

            for (int k = 0; k < kc; k++)
            {
                float* bk = b + rows[k];
                TVec b0 = TOps.Load(bk);
                TVec b1 = TWidth.Value > 1 ? TOps.Load(bk + w) : default;
                TVec b2 = TWidth.Value > 2 ? TOps.Load(bk + 2 * w) : default;
                TVec a0 = TOps.Broadcast(a[0]);
                c00 = TOps.MulAdd(a0, b0, c00);
                if (TWidth.Value > 1) c01 = TOps.MulAdd(a0, b1, c01);
                if (TWidth.Value > 2) c02 = TOps.MulAdd(a0, b2, c02);
                TVec a1 = TOps.Broadcast(a[1]);
                c10 = TOps.MulAdd(a1, b0, c10);
                if (TWidth.Value > 1) c11 = TOps.MulAdd(a1, b1, c11);
                if (TWidth.Value > 2) c12 = TOps.MulAdd(a1, b2, c12);
                TVec a2 = TOps.Broadcast(a[2]);
                c20 = TOps.MulAdd(a2, b0, c20);
                if (TWidth.Value > 1) c21 = TOps.MulAdd(a2, b1, c21);
                if (TWidth.Value > 2) c22 = TOps.MulAdd(a2, b2, c22);
                TVec a3 = TOps.Broadcast(a[3]);
                c30 = TOps.MulAdd(a3, b0, c30);
                if (TWidth.Value > 1) c31 = TOps.MulAdd(a3, b1, c31);
                if (TWidth.Value > 2) c32 = TOps.MulAdd(a3, b2, c32);
                TVec a4 = TOps.Broadcast(a[4]);
                c40 = TOps.MulAdd(a4, b0, c40);
                if (TWidth.Value > 1) c41 = TOps.MulAdd(a4, b1, c41);
                if (TWidth.Value > 2) c42 = TOps.MulAdd(a4, b2, c42);
                TVec a5 = TOps.Broadcast(a[5]);
                c50 = TOps.MulAdd(a5, b0, c50);
                if (TWidth.Value > 1) c51 = TOps.MulAdd(a5, b1, c51);
                if (TWidth.Value > 2) c52 = TOps.MulAdd(a5, b2, c52);
                TVec a6 = TOps.Broadcast(a[6]);
                c60 = TOps.MulAdd(a6, b0, c60);
                if (TWidth.Value > 1) c61 = TOps.MulAdd(a6, b1, c61);
                if (TWidth.Value > 2) c62 = TOps.MulAdd(a6, b2, c62);
                TVec a7 = TOps.Broadcast(a[7]);
                c70 = TOps.MulAdd(a7, b0, c70);
                if (TWidth.Value > 1) c71 = TOps.MulAdd(a7, b1, c71);
                if (TWidth.Value > 2) c72 = TOps.MulAdd(a7, b2, c72);
                a += 8;
            }

            Finish<TOps, TVec>(e, c, c00);
            Finish<TOps, TVec>(e, c + ldc, c10);
            Finish<TOps, TVec>(e, c + 2 * ldc, c20);
            Finish<TOps, TVec>(e, c + 3 * ldc, c30);
            Finish<TOps, TVec>(e, c + 4 * ldc, c40);
            Finish<TOps, TVec>(e, c + 5 * ldc, c50);
            Finish<TOps, TVec>(e, c + 6 * ldc, c60);
            Finish<TOps, TVec>(e, c + 7 * ldc, c70);
            if (TWidth.Value > 1)
            {
                Finish<TOps, TVec>(e, c + w, c01);
                Finish<TOps, TVec>(e, c + ldc + w, c11);
                Finish<TOps, TVec>(e, c + 2 * ldc + w, c21);
                Finish<TOps, TVec>(e, c + 3 * ldc + w, c31);
                Finish<TOps, TVec>(e, c + 4 * ldc + w, c41);
                Finish<TOps, TVec>(e, c + 5 * ldc + w, c51);
                Finish<TOps, TVec>(e, c + 6 * ldc + w, c61);
                Finish<TOps, TVec>(e, c + 7 * ldc + w, c71);
            }
            if (TWidth.Value > 2)
            {
                Finish<TOps, TVec>(e, c + 2 * w, c02);
                Finish<TOps, TVec>(e, c + ldc + 2 * w, c12);
                Finish<TOps, TVec>(e, c + 2 * ldc + 2 * w, c22);
                Finish<TOps, TVec>(e, c + 3 * ldc + 2 * w, c32);
                Finish<TOps, TVec>(e, c + 4 * ldc + 2 * w, c42);
                Finish<TOps, TVec>(e, c + 5 * ldc + 2 * w, c52);
                Finish<TOps, TVec>(e, c + 6 * ldc + 2 * w, c62);
                Finish<TOps, TVec>(e, c + 7 * ldc + 2 * w, c72);
            }
        }
    }
}
