using System.Collections.Immutable;
using QuantuneV2.Core.Diagnostics;
using QuantuneV2.Core.IR;

namespace QuantuneV2.Core.Ops;

/// <summary>Numpy-style multidirectional broadcasting: shape inference and the strided walk kernels use.</summary>
public static class Broadcasting
{
    public static Shape InferShape(NodeContext ctx, IReadOnlyList<Shape> shapes)
    {
        int rank = shapes.Max(s => s.Rank);
        var dims = ImmutableArray.CreateBuilder<Dim>(rank);
        for (int k = 0; k < rank; k++)
        {
            Dim result = Dim.Of(1);
            foreach (var s in shapes)
            {
                int j = k - (rank - s.Rank);
                if (j < 0) continue;
                var d = s[j];
                if (d is { IsKnown: true, Value: 1 }) continue;
                if (result is { IsKnown: true, Value: 1 }) result = d;
                else if (d.IsKnown && result.IsKnown && d.Value != result.Value)
                    throw ctx.Fail(DiagnosticCode.ShapeMismatch, $"shapes {string.Join(" and ", shapes)} cannot be broadcast together");
                else if (!result.IsKnown && d.IsKnown) result = d;
            }
            dims.Add(result);
        }
        return new Shape(dims.MoveToImmutable());
    }

    /// <summary>The broadcast of two static shapes (callers have validated them in shape inference).</summary>
    public static int[] Dims(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int k = 0; k < rank; k++)
        {
            int da = k - (rank - a.Length) >= 0 ? a[k - (rank - a.Length)] : 1;
            int db = k - (rank - b.Length) >= 0 ? b[k - (rank - b.Length)] : 1;
            r[k] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>Element strides of <paramref name="dims"/> aligned to <paramref name="outDims"/> (0 where broadcast).</summary>
    public static int[] Strides(int[] dims, int[] outDims)
    {
        var strides = new int[outDims.Length];
        int stride = 1;
        for (int k = dims.Length - 1; k >= 0; k--)
        {
            int o = k + outDims.Length - dims.Length;
            strides[o] = dims[k] == 1 ? 0 : stride;
            stride *= dims[k];
        }
        return strides;
    }

    /// <summary>
    /// Walks the output row by row (last dim): calls <paramref name="row"/> with the output offset and
    /// each input's offset for that row. Inner strides tell whether inputs are contiguous or repeated.
    /// </summary>
    public static void ForEachRow(int[] outDims, int[][] strides, Action<int, int[]> row)
    {
        int rank = outDims.Length;
        int inner = rank == 0 ? 1 : outDims[^1];
        long rows = 1;
        for (int k = 0; k < rank - 1; k++) rows *= outDims[k];
        var offsets = new int[strides.Length];
        var index = new int[Math.Max(rank - 1, 0)];
        for (long r = 0; r < rows; r++)
        {
            if (inner > 0) row((int)(r * inner), offsets);
            for (int k = rank - 2; k >= 0; k--)
            {
                index[k]++;
                for (int i = 0; i < strides.Length; i++) offsets[i] += strides[i][k];
                if (index[k] < outDims[k]) break;
                for (int i = 0; i < strides.Length; i++) offsets[i] -= strides[i][k] * outDims[k];
                index[k] = 0;
            }
        }
    }
}
