using System.Runtime.CompilerServices;

namespace QuantuneV2.Kernels.Program;

/// <summary>A channels-last int8 value (N images of Plane pixels × C channels) copied into row-major NCHW order, for a reshape.</summary>
public static class ChannelsFirst
{
    public sealed class Args
    {
        public int N, C, Plane, X, Y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(Args a, Span<byte> arena)
    {
        int image = a.C * a.Plane;
        for (int n = 0; n < a.N; n++)
            for (int c = 0; c < a.C; c++)
                for (int i = 0; i < a.Plane; i++)
                    arena[a.Y + n * image + c * a.Plane + i] = arena[a.X + n * image + i * a.C + c];
    }
}
