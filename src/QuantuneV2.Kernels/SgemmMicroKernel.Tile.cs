namespace QuantuneV2.Kernels;

internal static unsafe partial class SgemmMicroKernel
{
    /// <summary>
    /// The register tile every shape runs: up to 8 rows × 3 vectors of accumulators. Rows and vectors beyond
    /// <typeparamref name="TRows"/> and <typeparamref name="TWidth"/> are compile-time dead, so each
    /// instantiation is its own tight loop with only the registers it uses; the activation is applied in
    /// registers before the store.
    /// </summary>
    private static void Tile<TOps, TVec, TRows, TWidth, TAct>(float* a, float* b, nint* rows, int kc, float* c, nint ldc, in TileEpilogue e)
        where TOps : struct, ISimdOps<TVec>
        where TVec : struct
        where TRows : struct, IConstant
        where TWidth : struct, IConstant
        where TAct : struct, IActivationKind
    {
        int w = TOps.Count, mr = TRows.Value;
        TVec c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default, c60 = default, c70 = default;
        TVec c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default, c61 = default, c71 = default;
        TVec c02 = default, c12 = default, c22 = default, c32 = default, c42 = default, c52 = default, c62 = default, c72 = default;
        c00 = Start<TOps, TVec>(e, c, 0);
        if (mr > 1) c10 = Start<TOps, TVec>(e, c + ldc, 1);
        if (mr > 2) c20 = Start<TOps, TVec>(e, c + 2 * ldc, 2);
        if (mr > 3) c30 = Start<TOps, TVec>(e, c + 3 * ldc, 3);
        if (mr > 4) c40 = Start<TOps, TVec>(e, c + 4 * ldc, 4);
        if (mr > 5) c50 = Start<TOps, TVec>(e, c + 5 * ldc, 5);
        if (mr > 6) c60 = Start<TOps, TVec>(e, c + 6 * ldc, 6);
        if (mr > 7) c70 = Start<TOps, TVec>(e, c + 7 * ldc, 7);
        if (TWidth.Value > 1) c01 = Start<TOps, TVec>(e, c + w, 0);
        if (mr > 1 && TWidth.Value > 1) c11 = Start<TOps, TVec>(e, c + ldc + w, 1);
        if (mr > 2 && TWidth.Value > 1) c21 = Start<TOps, TVec>(e, c + 2 * ldc + w, 2);
        if (mr > 3 && TWidth.Value > 1) c31 = Start<TOps, TVec>(e, c + 3 * ldc + w, 3);
        if (mr > 4 && TWidth.Value > 1) c41 = Start<TOps, TVec>(e, c + 4 * ldc + w, 4);
        if (mr > 5 && TWidth.Value > 1) c51 = Start<TOps, TVec>(e, c + 5 * ldc + w, 5);
        if (mr > 6 && TWidth.Value > 1) c61 = Start<TOps, TVec>(e, c + 6 * ldc + w, 6);
        if (mr > 7 && TWidth.Value > 1) c71 = Start<TOps, TVec>(e, c + 7 * ldc + w, 7);
        if (TWidth.Value > 2) c02 = Start<TOps, TVec>(e, c + 2 * w, 0);
        if (mr > 1 && TWidth.Value > 2) c12 = Start<TOps, TVec>(e, c + ldc + 2 * w, 1);
        if (mr > 2 && TWidth.Value > 2) c22 = Start<TOps, TVec>(e, c + 2 * ldc + 2 * w, 2);
        if (mr > 3 && TWidth.Value > 2) c32 = Start<TOps, TVec>(e, c + 3 * ldc + 2 * w, 3);
        if (mr > 4 && TWidth.Value > 2) c42 = Start<TOps, TVec>(e, c + 4 * ldc + 2 * w, 4);
        if (mr > 5 && TWidth.Value > 2) c52 = Start<TOps, TVec>(e, c + 5 * ldc + 2 * w, 5);
        if (mr > 6 && TWidth.Value > 2) c62 = Start<TOps, TVec>(e, c + 6 * ldc + 2 * w, 6);
        if (mr > 7 && TWidth.Value > 2) c72 = Start<TOps, TVec>(e, c + 7 * ldc + 2 * w, 7);

        for (int k = 0; k < kc; k++)
        {
            float* bk = b + rows[k];
            TVec b0 = TOps.Load(bk);
            TVec b1 = TWidth.Value > 1 ? TOps.Load(bk + w) : default;
            TVec b2 = TWidth.Value > 2 ? TOps.Load(bk + 2 * w) : default;
            TVec av = TOps.Broadcast(a[0]);
            c00 = TOps.MulAdd(av, b0, c00);
            if (TWidth.Value > 1) c01 = TOps.MulAdd(av, b1, c01);
            if (TWidth.Value > 2) c02 = TOps.MulAdd(av, b2, c02);

            if (mr > 1)
            {
                av = TOps.Broadcast(a[1]);
                c10 = TOps.MulAdd(av, b0, c10);
                if (TWidth.Value > 1) c11 = TOps.MulAdd(av, b1, c11);
                if (TWidth.Value > 2) c12 = TOps.MulAdd(av, b2, c12);
            }

            if (mr > 2)
            {
                av = TOps.Broadcast(a[2]);
                c20 = TOps.MulAdd(av, b0, c20);
                if (TWidth.Value > 1) c21 = TOps.MulAdd(av, b1, c21);
                if (TWidth.Value > 2) c22 = TOps.MulAdd(av, b2, c22);
            }

            if (mr > 3)
            {
                av = TOps.Broadcast(a[3]);
                c30 = TOps.MulAdd(av, b0, c30);
                if (TWidth.Value > 1) c31 = TOps.MulAdd(av, b1, c31);
                if (TWidth.Value > 2) c32 = TOps.MulAdd(av, b2, c32);
            }

            if (mr > 4)
            {
                av = TOps.Broadcast(a[4]);
                c40 = TOps.MulAdd(av, b0, c40);
                if (TWidth.Value > 1) c41 = TOps.MulAdd(av, b1, c41);
                if (TWidth.Value > 2) c42 = TOps.MulAdd(av, b2, c42);
            }

            if (mr > 5)
            {
                av = TOps.Broadcast(a[5]);
                c50 = TOps.MulAdd(av, b0, c50);
                if (TWidth.Value > 1) c51 = TOps.MulAdd(av, b1, c51);
                if (TWidth.Value > 2) c52 = TOps.MulAdd(av, b2, c52);
            }

            if (mr > 6)
            {
                av = TOps.Broadcast(a[6]);
                c60 = TOps.MulAdd(av, b0, c60);
                if (TWidth.Value > 1) c61 = TOps.MulAdd(av, b1, c61);
                if (TWidth.Value > 2) c62 = TOps.MulAdd(av, b2, c62);
            }

            if (mr > 7)
            {
                av = TOps.Broadcast(a[7]);
                c70 = TOps.MulAdd(av, b0, c70);
                if (TWidth.Value > 1) c71 = TOps.MulAdd(av, b1, c71);
                if (TWidth.Value > 2) c72 = TOps.MulAdd(av, b2, c72);
            }

            a += mr;
        }

        Finish<TOps, TVec, TAct>(e, c, c00);
        if (mr > 1) Finish<TOps, TVec, TAct>(e, c + ldc, c10);
        if (mr > 2) Finish<TOps, TVec, TAct>(e, c + 2 * ldc, c20);
        if (mr > 3) Finish<TOps, TVec, TAct>(e, c + 3 * ldc, c30);
        if (mr > 4) Finish<TOps, TVec, TAct>(e, c + 4 * ldc, c40);
        if (mr > 5) Finish<TOps, TVec, TAct>(e, c + 5 * ldc, c50);
        if (mr > 6) Finish<TOps, TVec, TAct>(e, c + 6 * ldc, c60);
        if (mr > 7) Finish<TOps, TVec, TAct>(e, c + 7 * ldc, c70);
        if (TWidth.Value > 1) Finish<TOps, TVec, TAct>(e, c + w, c01);
        if (mr > 1 && TWidth.Value > 1) Finish<TOps, TVec, TAct>(e, c + ldc + w, c11);
        if (mr > 2 && TWidth.Value > 1) Finish<TOps, TVec, TAct>(e, c + 2 * ldc + w, c21);
        if (mr > 3 && TWidth.Value > 1) Finish<TOps, TVec, TAct>(e, c + 3 * ldc + w, c31);
        if (mr > 4 && TWidth.Value > 1) Finish<TOps, TVec, TAct>(e, c + 4 * ldc + w, c41);
        if (mr > 5 && TWidth.Value > 1) Finish<TOps, TVec, TAct>(e, c + 5 * ldc + w, c51);
        if (mr > 6 && TWidth.Value > 1) Finish<TOps, TVec, TAct>(e, c + 6 * ldc + w, c61);
        if (mr > 7 && TWidth.Value > 1) Finish<TOps, TVec, TAct>(e, c + 7 * ldc + w, c71);
        if (TWidth.Value > 2) Finish<TOps, TVec, TAct>(e, c + 2 * w, c02);
        if (mr > 1 && TWidth.Value > 2) Finish<TOps, TVec, TAct>(e, c + ldc + 2 * w, c12);
        if (mr > 2 && TWidth.Value > 2) Finish<TOps, TVec, TAct>(e, c + 2 * ldc + 2 * w, c22);
        if (mr > 3 && TWidth.Value > 2) Finish<TOps, TVec, TAct>(e, c + 3 * ldc + 2 * w, c32);
        if (mr > 4 && TWidth.Value > 2) Finish<TOps, TVec, TAct>(e, c + 4 * ldc + 2 * w, c42);
        if (mr > 5 && TWidth.Value > 2) Finish<TOps, TVec, TAct>(e, c + 5 * ldc + 2 * w, c52);
        if (mr > 6 && TWidth.Value > 2) Finish<TOps, TVec, TAct>(e, c + 6 * ldc + 2 * w, c62);
        if (mr > 7 && TWidth.Value > 2) Finish<TOps, TVec, TAct>(e, c + 7 * ldc + 2 * w, c72);
    }
}
